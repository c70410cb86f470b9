import type { Database } from '../../db/connect.js';
import { findDelivery, listDeliveries } from '../../db/repos/deliveries.js';
import { broadLogStatusCounts } from '../../db/repos/delivery-counters.js';
import { createNewDelivery, editDelivery, pauseDelivery, resumeDelivery, sendProof, startDelivery, stopDelivery } from '../../delivery/actions.js';
import { analyseDelivery, type DeliveryDeps } from '../../delivery/analyse.js';
import { notFound } from '../../delivery/delivery-content.js';
import { dkimDnsRecord, loadDkimKeys } from '../../delivery/dkim-keys.js';
import { previewDelivery } from '../../delivery/preview.js';
import { publishBeforeStart } from '../../tracking-data/publish/publish-urls.js';
import { UsageError } from '../../shared/errors.js';
import { EXIT } from '../../shared/exit-codes.js';
import { DELIVERY_STATES, type DeliveryState } from '../../shared/glossary.js';
import { createLogger } from '../../shared/logger.js';
import { parseSeeds } from '../../delivery/proof-seeds.js';
import type { Command, CommandInput } from '../command.js';
import { commandConfig, withDatabase } from '../context.js';
import { analysisText, deliveryJson, deliveryText, listText, previewText } from './delivery-format.js';
import { CREATE_OPTIONS, deliveryEditFromFlags, EDIT_OPTIONS, newDeliveryFromFlags } from './delivery-options.js';

/**
 * `herald delivery …`: thin commands over server/delivery (the same functions the console and the
 * API use). State changes are written to the `delivery` log file; `--json` prints plain objects.
 */

/** `signing`: read the DKIM keys (previews sign); other commands never need the key files. */
async function withDeliveries<T>(input: CommandInput, fn: (deps: DeliveryDeps) => Promise<T>, signing = false): Promise<T> {
  const { config, paths } = commandConfig(input);
  const log = createLogger({
    module: 'delivery',
    dir: paths.logDir,
    level: config.log.level,
    console: false,
    maxSizeMb: config.log.maxSizeMb,
    maxFiles: config.log.maxFiles,
    secrets: Object.values(config.secrets),
  });
  try {
    const dkim = signing ? loadDkimKeys(config) : [];
    return await withDatabase(input, (db: Database) => fn({ db, config, log, dkim }));
  } finally {
    await log.close();
  }
}

const JSON_FLAG = { json: { type: 'boolean' } } as const;
const print = (input: CommandInput, json: unknown, text: string) => input.out.write(input.flags.json ? JSON.stringify(json) + '\n' : text);
const ref = (input: CommandInput) => input.args[0]!;

function stateCommand(word: 'start' | 'pause' | 'resume', summary: string, action: typeof startDelivery): Command {
  return {
    words: ['delivery', word],
    usage: `delivery ${word} <id|name> [--json]`,
    summary,
    args: [1, 1],
    options: JSON_FLAG,
    async run(input) {
      const d = await withDeliveries(input, (deps) =>
        action(deps, ref(input), new Date(), { beforeStart: publishBeforeStart(deps.db, deps.config, deps.log) }),
      );
      print(input, deliveryJson(d), `delivery ${d.id} "${d.internalName}": ${d.state.replace(/_/g, ' ')}\n`);
      return EXIT.OK;
    },
  };
}

export const deliveryCommands: Command[] = [
  {
    words: ['delivery', 'create'],
    usage:
      'delivery create <name> --from "Name <address>" --subject <template> --html <file> [--text <file>] (--service <name> | --list <name> | --all) [--filter <json>] [--label <text>] [--kind marketing|transactional] [--reply-to <address>] [--header "Name: template"]… [--limit <n>] [--keep-duplicates] [--no-tracking] [--no-open-tracking] [--schedule <iso>] [--validity-end <iso>] [--json]',
    summary: 'create a delivery in editing (content from files, Eta templates with <%= recipient.firstName %>)',
    args: [1, 1],
    options: { ...CREATE_OPTIONS, ...JSON_FLAG },
    async run(input) {
      const d = await withDeliveries(input, async (deps) => createNewDelivery(deps, await newDeliveryFromFlags(deps.db, input)));
      print(input, deliveryJson(d), `delivery ${d.id} "${d.internalName}" created (editing); next: herald delivery analyse ${d.internalName}\n`);
      return EXIT.OK;
    },
  },
  {
    words: ['delivery', 'edit'],
    usage:
      'delivery edit <id|name> [--label <text>] [--subject <template>] [--from "Name <address>"] [--reply-to <address>] [--html <file>] [--text <file>] [--header "Name: template"]… [--service <name> | --list <name> | --all [--filter <json>]] [--limit <n>|none] [--schedule <iso>] [--validity-end <iso>] [--json]',
    summary: 'change a delivery that has not started (a ready delivery goes back to editing: analyse it again)',
    args: [1, 1],
    options: { ...EDIT_OPTIONS, ...JSON_FLAG },
    async run(input) {
      const d = await withDeliveries(input, async (deps) => editDelivery(deps, ref(input), await deliveryEditFromFlags(deps.db, input), new Date()));
      print(input, deliveryJson(d), `delivery ${d.id} "${d.internalName}" changed (editing); next: herald delivery analyse ${d.internalName}\n`);
      return EXIT.OK;
    },
  },
  {
    words: ['delivery', 'analyse'],
    usage: 'delivery analyse <id|name> [--force] [--json]',
    summary: 'analyse: target, exclusions, control rules, tracked links, one pending message per recipient (exit 65 when a rule blocks)',
    args: [1, 1],
    options: { force: { type: 'boolean' }, ...JSON_FLAG },
    async run(input) {
      const report = await withDeliveries(input, (deps) => analyseDelivery(deps, ref(input), { force: Boolean(input.flags.force) }));
      print(input, report, analysisText(report));
      return report.state === 'ready' ? EXIT.OK : EXIT.DATA;
    },
  },
  {
    words: ['delivery', 'preview'],
    usage: 'delivery preview <id|name> [--recipient <id|email>] [--part subject|html|text|headers|raw] [--json]',
    summary: 'show the message a recipient would get (nothing is sent)',
    args: [1, 1],
    options: { recipient: { type: 'string' }, part: { type: 'string' }, ...JSON_FLAG },
    async run(input) {
      const part = input.flags.part as string | undefined;
      if (part !== undefined && !['subject', 'html', 'text', 'headers', 'raw'].includes(part))
        throw new UsageError('--part is subject, html, text, headers or raw');
      const preview = await withDeliveries(input, (deps) => previewDelivery(deps, ref(input), input.flags.recipient as string | undefined, new Date()), true);
      print(input, preview, previewText(preview, part));
      return preview.error ? EXIT.DATA : EXIT.OK;
    },
  },
  {
    words: ['delivery', 'proof'],
    usage: 'delivery proof <id|name> --to <address,address…> [--as <recipient id|email>] [--json]',
    summary: 'send proofs: a proof delivery with the same content to seed addresses, started for the MTA',
    args: [1, 1],
    options: { to: { type: 'string' }, as: { type: 'string' }, ...JSON_FLAG },
    async run(input) {
      if (typeof input.flags.to !== 'string') throw new UsageError('delivery proof needs --to <address,address…>');
      const { seeds, invalid } = parseSeeds(input.flags.to, Number.MAX_SAFE_INTEGER);
      if (invalid.length > 0) throw new UsageError(`not an email address: ${invalid.map((s) => `"${s}"`).join(', ')} (separate seeds with commas)`);
      const result = await withDeliveries(input, (deps) =>
        sendProof(deps, ref(input), seeds, input.flags.as as string | undefined, new Date(), {
          beforeStart: publishBeforeStart(deps.db, deps.config, deps.log),
        }),
      );
      const p = result.proof;
      const text = result.started
        ? `proof ${p.id} "${p.internalName}": ${p.toDeliver} message(s) pending for the MTA\n`
        : `proof ${p.id} "${p.internalName}" not started\n${analysisText(result.report)}`;
      print(input, { proof: deliveryJson(p), started: result.started, analysis: result.report }, text);
      return result.started ? EXIT.OK : EXIT.DATA;
    },
  },
  stateCommand('start', 'confirm an analysed delivery: start pending now, or scheduled at its contact date', startDelivery),
  stateCommand('pause', 'pause a delivery (the MTA stops taking its messages)', pauseDelivery),
  stateCommand('resume', 'resume a paused delivery', resumeDelivery),
  {
    words: ['delivery', 'stop'],
    usage: 'delivery stop <id|name> [--json]',
    summary: 'stop a delivery for good: its pending messages are cancelled',
    args: [1, 1],
    options: JSON_FLAG,
    async run(input) {
      const { delivery: d, cancelled } = await withDeliveries(input, (deps) => stopDelivery(deps, ref(input), new Date()));
      print(input, { ...deliveryJson(d), cancelled }, `delivery ${d.id} "${d.internalName}": stopped, ${cancelled} pending message(s) cancelled\n`);
      return EXIT.OK;
    },
  },
  {
    words: ['delivery', 'list'],
    usage: 'delivery list [--state <state,state…>] [--kind marketing|transactional|proof] [--limit <n>] [--json]',
    summary: 'list deliveries, newest first',
    options: { state: { type: 'string' }, kind: { type: 'string' }, limit: { type: 'string' }, ...JSON_FLAG },
    async run(input) {
      const states = typeof input.flags.state === 'string' ? input.flags.state.split(',').map((s) => s.trim()) : undefined;
      const unknown = states?.filter((s) => !(DELIVERY_STATES as readonly string[]).includes(s));
      if (unknown?.length) throw new UsageError(`unknown state(s) ${unknown.join(', ')} (states: ${DELIVERY_STATES.join(', ')})`);
      const limit = Math.min(1000, Number(input.flags.limit ?? 50) || 50);
      const kind = input.flags.kind as 'marketing' | 'transactional' | 'proof' | undefined;
      const rows = await withDatabase(input, (db) => listDeliveries(db, { states: states as DeliveryState[] | undefined, kind, limit }));
      if (input.flags.json) for (const d of rows) input.out.write(JSON.stringify(deliveryJson(d)) + '\n');
      else input.out.write(listText(rows));
      return EXIT.OK;
    },
  },
  {
    words: ['delivery', 'show'],
    usage: 'delivery show <id|name> [--json]',
    summary: 'show a delivery: state, counters, exclusions by reason, control-rule messages, messages by status',
    args: [1, 1],
    options: JSON_FLAG,
    async run(input) {
      const found = await withDatabase(input, async (db) => {
        const d = await findDelivery(db, ref(input));
        return d ? { d, counts: (await broadLogStatusCounts(db, [d.id])).get(d.id) ?? {} } : undefined;
      });
      if (!found) throw notFound(ref(input));
      print(input, { ...deliveryJson(found.d), messages: found.counts }, deliveryText(found.d, found.counts as Record<string, number>));
      return EXIT.OK;
    },
  },
  {
    words: ['delivery', 'dkim'],
    usage: 'delivery dkim [--json]',
    summary: 'check the DKIM keys of [[delivery.dkim]] and print the DNS TXT record each one needs',
    options: JSON_FLAG,
    async run(input) {
      const records = loadDkimKeys(commandConfig(input).config).map((k) => ({
        domain: k.domain,
        selector: k.selector,
        algorithm: k.algorithm,
        ...dkimDnsRecord(k),
      }));
      const text = records.length
        ? records.map((r) => `${r.name} TXT "${r.value}"`).join('\n') + '\n'
        : 'no DKIM key configured ([[delivery.dkim]] in the site config)\n';
      print(input, records, text);
      return EXIT.OK;
    },
  },
];
