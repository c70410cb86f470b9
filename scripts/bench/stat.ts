import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Op } from 'sequelize';
import { upsertRecipients } from '../../server/db/repos/recipients.js';
import { createNewDelivery, startDelivery } from '../../server/delivery/actions.js';
import { analyseDelivery, type DeliveryDeps } from '../../server/delivery/analyse.js';
import { APP_ROOT } from '../../server/shared/app-root.js';
import { silentLogger } from '../../server/shared/logger.js';
import { freePort } from './free-port.js';
import { benchInstance, type BenchInstance } from './instance.js';
import { countDump } from './sink-dump.js';
import { requirePostfixTools, startSink } from './smtp-sink.js';

/**
 * `bench stat --instances 2 --messages 3000 --per-hour 60000`: N Herald installs (each its own site
 * config, data folder and SQLite database, as N instances have) send M messages in all (M/N each)
 * to one domain of Postfix's smtp-sink, limited to R messages an hour, through one real `herald
 * stat` process; each install runs a real `herald mta`. The sink's counter, read every second, gives
 * the busiest minute (any 60 consecutive seconds) against the limit per minute; its dump gives the
 * copies per recipient (every message once). Minutes by nature: 3,000 messages at 1,000 a minute.
 */
export interface StatBenchOptions {
  instances: number;
  messages: number;
  perHour: number;
}

const DOMAIN = 'sink.test';

function herald(module: string, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ['--import=tsx', join(APP_ROOT, 'server/cli/main.ts'), module], {
    cwd: APP_ROOT,
    env,
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  });
}

async function ready(child: ChildProcess, what: string): Promise<void> {
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`${what} exited with ${code} before it was ready`);
  });
  await Promise.race([new Promise<void>((resolve) => child.on('message', (m: { type?: string }) => m.type === 'ready' && resolve())), exited]);
  exited.catch(() => undefined);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = once(child, 'exit');
  child.kill('SIGTERM');
  await done;
}

async function startedDelivery(instance: BenchInstance, index: number, count: number): Promise<number> {
  const rows = Array.from({ length: count }, (_, k) => ({ email: `i${index}-r${k}@${DOMAIN}`, firstName: `First${k}` }));
  await upsertRecipients(instance.db, rows, new Set(['email', 'firstName'] as const));
  const deps: DeliveryDeps = { db: instance.db, config: instance.config, log: silentLogger(), dkim: [] };
  const d = await createNewDelivery(deps, {
    internalName: `bench-stat-${index}`,
    label: 'Stat server benchmark',
    kind: 'marketing',
    subject: 'News for <%= recipient.firstName %>',
    fromName: 'Example Shop',
    fromAddress: 'news@example.org',
    replyTo: null,
    html: '<p>Hello <%= recipient.firstName %>, <a href="https://shop.example.com/news">our news</a>.</p><p><a href="<%= links.unsubscribe %>">Unsubscribe</a></p>',
    text: 'Hello <%= recipient.firstName %>\nUnsubscribe: <%= links.unsubscribe %>\n',
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
  if (report.toDeliver !== count) throw new Error(`analysis prepared ${report.toDeliver} messages, expected ${count}`);
  await startDelivery(deps, d.id, new Date());
  return d.id;
}

export async function benchStat(options: StatBenchOptions): Promise<Record<string, number>> {
  const { instances, messages, perHour } = options;
  if (!Number.isInteger(instances) || instances < 1 || instances > 8) throw new Error('--instances must be 1 to 8');
  if (!Number.isInteger(messages) || messages < instances) throw new Error('--messages must be a whole number, at least one per instance');
  if (!(perHour >= 60)) throw new Error('--per-hour must be 60 or more');
  requirePostfixTools();
  const scratch = mkdtempSync(join(tmpdir(), 'herald-bench-stat-'));
  chmodSync(scratch, 0o755);
  const dumpDir = join(scratch, 'sink');
  mkdirSync(dumpDir, { mode: 0o777 });
  chmodSync(dumpDir, 0o777);
  const dumpFile = join(dumpDir, 'dump.txt');
  const sink = await startSink({ dumpFile });
  const statPort = await freePort();
  const key = randomBytes(32).toString('base64url');
  const shared = { HERALD_SECRETS__STAT_KEY: key, HERALD_MTA__STAT_SERVER: `127.0.0.1:${statPort}`, HERALD_STAT__PORT: String(statPort) };
  const rule = (match: string, rate: number) =>
    `[[mta.domainRules]]\nmatch = "${match}"\nshared = false\nmaxConnections = 10\nmaxMessagesPerConnection = 100000\nmessagesPerHour = ${rate}\n`;
  const sites: BenchInstance[] = [];
  const children: ChildProcess[] = [];
  try {
    for (let i = 1; i <= instances; i++) {
      const toml = `[mta]\ninstanceId = "bench-i${i}"\ntransport = "smtp"\ntls = "disabled"\nheloName = "i${i}.bench.local"\n[[mta.routes]]\ndomain = "*"\nhosts = ["127.0.0.1:${sink.port}"]\n${rule(DOMAIN, perHour)}${rule('*', 0)}[metrics]\nenabled = false\n`;
      sites.push(await benchInstance(toml));
    }
    const per = Array.from({ length: instances }, (_, i) => Math.floor(messages / instances) + (i < messages % instances ? 1 : 0));
    const stat = herald('stat', { ...process.env, HERALD_CONFIG: sites[0]!.siteFile, ...shared });
    children.push(stat);
    await ready(stat, 'herald stat');
    const ids = await Promise.all(sites.map((s, i) => startedDelivery(s, i + 1, per[i]!)));
    const before = sink.received();
    const started = process.hrtime.bigint();
    for (const site of sites) children.push(herald('mta', { ...process.env, HERALD_CONFIG: site.siteFile, ...shared }));
    const perSecond: number[] = [];
    for (let last = before; ;) {
      await sleep(1000);
      const now = sink.received();
      perSecond.push(now - last);
      last = now;
      if (children.slice(1).every((c) => c.exitCode !== null)) throw new Error('every MTA process exited before the deliveries were sent');
      if (now - before >= messages) {
        const left = await Promise.all(sites.map((s, i) => s.db.models.BroadLog.count({ where: { deliveryId: ids[i]!, status: { [Op.ne]: 'sent' } } })));
        if (left.every((n) => n === 0)) break;
      }
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    for (const child of children.reverse()) await stop(child);
    await sleep(500);
    const counts = await countDump(dumpFile, 0, (address) => address.endsWith(`@${DOMAIN}`));
    const copies = [...counts.copies.values()];
    if (counts.copies.size !== messages || copies.some((c) => c !== 1)) {
      const duplicates = copies.reduce((n, c) => n + c - 1, 0);
      throw new Error(`every message once was expected: ${counts.copies.size} of ${messages} recipients received, ${duplicates} duplicates`);
    }
    const windows = perSecond.map((_, i) => perSecond.slice(i, i + 60).reduce((a, b) => a + b, 0)).slice(0, Math.max(1, perSecond.length - 59));
    return {
      instances,
      messages,
      seconds: Math.round(seconds * 10) / 10,
      busiest_minute: Math.max(...windows),
      limit_per_minute: Math.round(perHour / 60),
    };
  } finally {
    for (const child of children) await stop(child);
    sink.stop();
    for (const site of sites) await site.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  }
}
