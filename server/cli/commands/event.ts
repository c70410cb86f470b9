import { findEvent } from '../../db/repos/events.js';
import { listEventTypes, unpublishEventType } from '../../db/repos/event-types.js';
import { eventProblems } from '../../events/event-input.js';
import { createEventServices } from '../../events/event-services.js';
import { eventStatus } from '../../events/event-status.js';
import { publishTemplate } from '../../events/publish-template.js';
import { normalizeAddress } from '../../shared/email-address.js';
import { HeraldError, UsageError } from '../../shared/errors.js';
import { EXIT } from '../../shared/exit-codes.js';
import type { Command, CommandInput } from '../command.js';
import { withLoggedDatabase } from '../context.js';
import { parseFrom, parseHeaders, readContent } from './delivery-options.js';

/**
 * `herald event …`: transactional event types (publish a template, withdraw it, list them), one
 * event's status, and sending an event from the command line (the same path as POST /api/events).
 */

const JSON_FLAG = { json: { type: 'boolean' } } as const;
const str = (input: CommandInput, name: string) => (typeof input.flags[name] === 'string' ? (input.flags[name] as string) : undefined);
const print = (input: CommandInput, json: unknown, text: string) => input.out.write(input.flags.json ? JSON.stringify(json) + '\n' : text);

export const eventCommands: Command[] = [
  {
    words: ['event', 'publish'],
    usage:
      'event publish <type> --subject <template> --from "<Name <address>>" [--html <file>] [--text <file>] [--reply-to <address>] [--header "Name: template"]… [--label <text>] [--no-tracking] [--no-open-tracking] [--json]',
    summary: 'publish the template of a transactional event type (templates read the event context as `event`); its next events use it',
    args: [1, 1],
    options: {
      subject: { type: 'string' },
      from: { type: 'string' },
      html: { type: 'string' },
      text: { type: 'string' },
      'reply-to': { type: 'string' },
      header: { type: 'string', multiple: true },
      label: { type: 'string' },
      'no-tracking': { type: 'boolean' },
      'no-open-tracking': { type: 'boolean' },
      ...JSON_FLAG,
    },
    async run(input) {
      const type = input.args[0]!;
      const subject = str(input, 'subject');
      const from = str(input, 'from');
      if (!subject || !from) throw new UsageError('event publish needs --subject and --from');
      const html = readContent(str(input, 'html'));
      const text = readContent(str(input, 'text'));
      if (html === null && text === null) throw new UsageError('give the content: --html <file> and/or --text <file>');
      const sender = parseFrom(from);
      const content = {
        label: str(input, 'label') ?? type,
        subject,
        fromName: sender.name,
        fromAddress: sender.address,
        replyTo: str(input, 'reply-to') ?? null,
        html,
        text,
        headers: parseHeaders(input.flags.header as string[] | undefined),
        trackingEnabled: !input.flags['no-tracking'],
        openTracking: !input.flags['no-open-tracking'],
      };
      const { type: published, issues } = await withLoggedDatabase(input, 'events', (db, log, config) =>
        publishTemplate({ db, config, log }, type, content, new Date()),
      );
      const warnings = issues.map((i) => `warning: ${i.message}\n`).join('');
      print(input, { ...published, issues }, `${warnings}event type "${type}" published (version ${published.version}, template ${published.templateId})\n`);
      return EXIT.OK;
    },
  },
  {
    words: ['event', 'unpublish'],
    usage: 'event unpublish <type>',
    summary: 'withdraw the template of an event type: its next events are "not covered"',
    args: [1, 1],
    async run(input) {
      const type = input.args[0]!;
      const done = await withLoggedDatabase(input, 'events', async (db, log) => {
        const found = await unpublishEventType(db, type, new Date());
        if (found) log.info('EVENT_TYPE_UNPUBLISHED', { type });
        return found;
      });
      if (!done) throw new HeraldError('EVENT_TYPE_NOT_FOUND', `no event type "${type}"`, { exitCode: EXIT.DATA });
      input.out.write(`event type "${type}" withdrawn\n`);
      return EXIT.OK;
    },
  },
  {
    words: ['event', 'types'],
    usage: 'event types [--json]',
    summary: 'list the event types with their published template and version',
    options: JSON_FLAG,
    async run(input) {
      const types = await withLoggedDatabase(input, 'events', (db) => listEventTypes(db));
      if (input.flags.json) for (const t of types) input.out.write(JSON.stringify(t) + '\n');
      else
        for (const t of types)
          input.out.write(
            `${t.name}  v${t.version}  ${t.templateId ? `template ${t.templateId}, published ${t.publishedAt?.toISOString()}` : 'not published'}  ${t.label}\n`,
          );
      return EXIT.OK;
    },
  },
  {
    words: ['event', 'show'],
    usage: 'event show <id> [--json]',
    summary: 'an event and its status (pending, sent, delivery_error, not_covered, expired)',
    args: [1, 1],
    options: JSON_FLAG,
    async run(input) {
      const id = Number(input.args[0]);
      const e = Number.isSafeInteger(id) ? await withLoggedDatabase(input, 'events', (db) => findEvent(db, id)) : undefined;
      if (!e) throw new HeraldError('EVENT_NOT_FOUND', `no event ${input.args[0]}`, { exitCode: EXIT.DATA });
      const status = eventStatus(e.status, e.message);
      print(input, { ...e, status }, `event ${e.id} (${e.type}) to ${e.email}: ${status}${e.message?.failureReason ? ` (${e.message.failureReason})` : ''}\n`);
      return EXIT.OK;
    },
  },
  {
    words: ['event', 'send'],
    usage: 'event send <type> --to <address> [--ctx <json>] [--idempotency-key <key>] [--json]',
    summary: 'send a transactional event from the command line (stored and routed like POST /api/events)',
    args: [1, 1],
    options: { to: { type: 'string' }, ctx: { type: 'string' }, 'idempotency-key': { type: 'string' }, ...JSON_FLAG },
    async run(input) {
      const to = str(input, 'to');
      if (!to) throw new UsageError('event send needs --to <address>');
      let ctx: Record<string, unknown>;
      try {
        ctx = JSON.parse(str(input, 'ctx') ?? '{}') as Record<string, unknown>;
      } catch {
        throw new UsageError('--ctx takes a JSON object, e.g. \'{"orderId":"A-1"}\'');
      }
      if (typeof ctx !== 'object' || ctx === null || Array.isArray(ctx)) throw new UsageError('--ctx takes a JSON object');
      const event = { type: input.args[0]!, email: normalizeAddress(to), ctx, emailFormat: 'html' as const, idempotencyKey: str(input, 'idempotency-key') };
      const stored = await withLoggedDatabase(input, 'events', async (db, log, config) => {
        const problems = eventProblems(event, { ctxMaxBytes: config.events.ctxMaxKb * 1024 });
        if (problems.length) throw new HeraldError('EVENT_INVALID', problems.map((p) => `${p.path}: ${p.message}`).join('; '), { exitCode: EXIT.DATA });
        const { intake } = createEventServices({ db, config, log, clock: () => new Date() });
        const result = await intake.accept({ ...event, origin: 'cli', apiKeyId: null });
        await intake.stop();
        return result;
      });
      print(
        input,
        stored,
        `event ${stored.id} ${stored.duplicate ? 'existed already' : 'stored'}: ${stored.status === 'routed' ? 'pending' : 'not covered (no published template)'}\n`,
      );
      return EXIT.OK;
    },
  },
];
