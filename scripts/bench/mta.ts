import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from '../../server/db/connect.js';
import { createNewDelivery, startDelivery } from '../../server/delivery/actions.js';
import { analyseDelivery, type DeliveryDeps } from '../../server/delivery/analyse.js';
import { buildMessages } from '../../server/delivery/build-message.js';
import { loadDkimKeys } from '../../server/delivery/dkim-keys.js';
import { loadCompiledDelivery, messageRecipient } from '../../server/delivery/sending.js';
import { silentLogger } from '../../server/shared/logger.js';
import { benchInstance } from './instance.js';
import { timedSend } from './mta-run.js';
import { benchPostgres } from './postgres-bench.js';
import { seedBenchRecipients } from './seed-recipients.js';
import { countDump } from './sink-dump.js';
import { baseline, requirePostfixTools, startSink } from './smtp-sink.js';

/**
 * `bench mta --messages N [--dkim 1] [--per-hour R] [--db postgres] [--nodes 2]`: a delivery of N
 * personalized, tracked messages (HTML + text, List-Unsubscribe, optional RSA-2048 DKIM) sent by a
 * real `herald mta` process to Postfix's smtp-sink; the baseline is smtp-source into the same sink
 * in the same run, with messages of the same size. With --per-hour, the domain is limited to R
 * messages per hour and the busiest minute seen by the sink is reported against the limit.
 * With --db postgres the instance runs on a throw-away PostgreSQL cluster (durable settings) and the
 * database statements (round trips) and transactions per message are reported. With --nodes N, a
 * second delivery of N messages is then sent by N MTA nodes at once (each its own install on that
 * database); the sink's dump gives the copies per recipient, hence duplicates and lost messages, and
 * the messages each node sent. The main fields describe the last run; single_node_* the first.
 */

const HTML = `<html><body><p>Hello <%= recipient.firstName %>,</p><p>Our spring selection is here.</p>
<a href="https://shop.example.com/spring?src=mail&amp;id=<%= recipient.id %>">Spring sale</a>
<a href="https://shop.example.com/account">Your account</a><p><a href="<%= links.unsubscribe %>">Unsubscribe</a></p></body></html>`;
const TEXT =
  'Hello <%= recipient.firstName %>\nSpring sale: https://shop.example.com/spring?src=mail&id=<%= recipient.id %>\nUnsubscribe: <%= links.unsubscribe %>\n';

function dkimToml(dir: string): string {
  const file = join(dir, 'dkim.pem');
  writeFileSync(file, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  return `[[delivery.dkim]]\ndomain = "example.org"\nselector = "bench"\nalgorithm = "rsa-sha256"\nkeyFile = "${file}"\n`;
}

async function prepare(db: Database, deps: DeliveryDeps, messages: number, name: string, seed: boolean): Promise<number> {
  if (seed) await seedBenchRecipients(db, messages);
  const d = await createNewDelivery(deps, {
    internalName: name,
    label: 'MTA benchmark',
    kind: 'marketing',
    subject: 'Spring news for <%= recipient.firstName %>',
    fromName: 'Example Shop',
    fromAddress: 'news@example.org',
    replyTo: null,
    html: HTML,
    text: TEXT,
    headers: {},
    target: { kind: 'all' },
    exclusions: { duplicates: true, denylisted: true, quarantined: true, limit: null },
    serviceId: null,
    trackingEnabled: true,
    openTracking: true,
    scheduledAt: null,
    validityEnd: null,
  });
  const report = await analyseDelivery(deps, d.id);
  if (report.toDeliver !== messages) throw new Error(`analysis prepared ${report.toDeliver} messages, expected ${messages}`);
  return d.id;
}

/** Size of the first built message, so the baseline sends messages of the same size. */
async function messageSize(deps: DeliveryDeps, deliveryId: number): Promise<number> {
  const compiled = await loadCompiledDelivery({ db: deps.db, config: deps.config, dkim: deps.dkim }, deliveryId);
  const log = (await deps.db.models.BroadLog.findOne({ where: { deliveryId } }))!;
  const recipient = (await deps.db.models.Recipient.findByPk(log.recipientId!))!;
  const [built] = buildMessages(
    compiled,
    [
      {
        recipient: messageRecipient(log, {
          id: recipient.id,
          email: recipient.email,
          firstName: recipient.firstName,
          lastName: recipient.lastName,
          emailFormat: recipient.emailFormat,
          fields: null,
        }),
        log,
      },
    ],
    new Date(),
  );
  if (!built?.ok) throw new Error('cannot build a benchmark message');
  return built.raw.length;
}

const round = (n: number, places = 0) => Math.round(n * 10 ** places) / 10 ** places;

export interface MtaBenchOptions {
  messages: number;
  dkim: boolean;
  perHour: number;
  /** "sqlite" (default) or "postgres": a throw-away PostgreSQL cluster of the benchmark's own. */
  db: string;
  /** MTA nodes sharing the database (more than one needs PostgreSQL). */
  nodes: number;
}

export async function benchMta(options: MtaBenchOptions): Promise<Record<string, number | string>> {
  if (options.db !== 'sqlite' && options.db !== 'postgres') throw new Error(`--db must be sqlite or postgres, got ${options.db}`);
  if (!Number.isInteger(options.nodes) || options.nodes < 1 || options.nodes > 8) throw new Error('--nodes must be 1 to 8');
  if (options.nodes > 1 && options.db !== 'postgres') throw new Error('--nodes 2 needs --db postgres: MTA nodes share a networked database');
  requirePostfixTools();
  const scratch = mkdtempSync(join(tmpdir(), 'herald-bench-mta-'));
  chmodSync(scratch, 0o755);
  const postgres = options.db === 'postgres' ? await benchPostgres(scratch) : undefined;
  // The sink dumps every message (for copies per recipient) only when nodes must be checked for duplicates.
  const dumpDir = join(scratch, 'sink');
  mkdirSync(dumpDir, { mode: 0o777 });
  chmodSync(dumpDir, 0o777);
  const dumpFile = join(dumpDir, 'dump.txt');
  const sink = await startSink(options.nodes > 1 ? { dumpFile } : {});
  const rule =
    options.perHour > 0
      ? `[[mta.domainRules]]\nmatch = "bench.test"\nshared = false\nmaxConnections = 10\nmaxMessagesPerConnection = 100000\nmessagesPerHour = ${options.perHour}\n`
      : '';
  const instance = await benchInstance(
    `[mta]\ntransport = "smtp"\ntls = "disabled"\nheloName = "bench.local"\n[[mta.routes]]\ndomain = "*"\nhosts = ["127.0.0.1:${sink.port}"]\n${rule}[[mta.domainRules]]\nmatch = "*"\nshared = false\nmaxConnections = 10\nmaxMessagesPerConnection = 100000\nmessagesPerHour = 0\n`,
    postgres?.url,
  );
  try {
    if (options.dkim) writeFileSync(instance.siteFile, dkimToml(instance.dir), { flag: 'a' });
    const config = (await import('../../server/shared/config/load.js')).loadConfig({ siteFile: instance.siteFile, env: {} }).config;
    const deps: DeliveryDeps = { db: instance.db, config, log: silentLogger(), dkim: loadDkimKeys(config) };
    const id = await prepare(instance.db, deps, options.messages, 'bench-mta', true);
    const size = await messageSize(deps, id);
    const baselineRate = await baseline(sink.port, Math.min(options.messages, 50_000), size);
    const run = async (deliveryId: number, count: number) => {
      const usage = await postgres?.usage();
      const sent = await timedSend({
        db: deps.db,
        siteFile: instance.siteFile,
        nodes: { count, dataRoot: postgres ? join(scratch, `nodes-${deliveryId}`) : undefined },
        deliveryId,
        messages: options.messages,
        sink,
        start: () => startDelivery(deps, deliveryId, new Date()).then(() => undefined),
      });
      const after = await postgres?.usage();
      const perMessage = (k: 'statements' | 'transactions') => (usage && after ? round((after[k] - usage[k]) / options.messages, 3) : undefined);
      return { ...sent, rate: options.messages / sent.seconds, roundTrips: perMessage('statements'), transactions: perMessage('transactions') };
    };
    const single = await run(id, 1);
    let last = single;
    const extra: Record<string, number | string> = {};
    if (options.nodes > 1) {
      const second = await prepare(instance.db, deps, options.messages, 'bench-mta-nodes', false);
      const offset = existsSync(dumpFile) ? statSync(dumpFile).size : 0;
      last = await run(second, options.nodes);
      await sleep(500);
      const counts = await countDump(dumpFile, offset, (address) => address.endsWith('@bench.test') && address !== 'rcpt@bench.test');
      const copies = [...counts.copies.values()];
      Object.assign(extra, {
        nodes: options.nodes,
        single_node_msgs_per_s: round(single.rate),
        duplicates: copies.reduce((n, c) => n + c - 1, 0),
        lost: options.messages - counts.copies.size,
        ratio_to_single_node: round(last.rate / single.rate, 2),
        ...Object.fromEntries([...counts.perHelo].sort().map(([helo, n]) => [`sent_by_${helo.replace(/\.bench\.local$/, '')}`, n])),
      });
    }
    const result: Record<string, number | string> = {
      messages: options.messages,
      seconds: round(last.seconds, 1),
      msgs_per_s: round(last.rate),
      baseline_msgs_per_s: round(baselineRate),
      ratio: round(last.rate / baselineRate, 2),
      peak_rss_mb: last.peakRssMb,
      received: last.received,
      dkim: options.dkim ? 1 : 0,
      ...extra,
    };
    if (postgres) {
      Object.assign(result, { db: 'postgres', db_round_trips_per_msg: last.roundTrips!, db_transactions_per_msg: last.transactions! });
      if (options.nodes > 1) Object.assign(result, { single_node_db_round_trips_per_msg: single.roundTrips! });
    }
    if (options.perHour > 0) {
      const perMinute = last.perSecond;
      const windows = perMinute.map((_, i) => perMinute.slice(i, i + 60).reduce((a, b) => a + b, 0)).slice(0, Math.max(1, perMinute.length - 59));
      result.limit_per_min = Math.round(options.perHour / 60);
      result.max_per_min = Math.max(...windows);
    }
    return result;
  } finally {
    sink.stop();
    await instance.cleanup();
    postgres?.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}
