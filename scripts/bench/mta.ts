import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Op } from 'sequelize';
import type { Database } from '../../server/db/connect.js';
import { createNewDelivery, startDelivery } from '../../server/delivery/actions.js';
import { analyseDelivery, type DeliveryDeps } from '../../server/delivery/analyse.js';
import { buildMessages } from '../../server/delivery/build-message.js';
import { loadDkimKeys } from '../../server/delivery/dkim-keys.js';
import { loadCompiledDelivery, messageRecipient } from '../../server/delivery/sending.js';
import { APP_ROOT } from '../../server/shared/app-root.js';
import { silentLogger } from '../../server/shared/logger.js';
import { benchInstance, processPeakRssMb } from './instance.js';
import { seedBenchRecipients } from './seed-recipients.js';
import { baseline, requirePostfixTools, startSink } from './smtp-sink.js';

/**
 * `bench mta --messages N [--dkim 1] [--per-hour R]`: a delivery of N personalized, tracked messages
 * (HTML + text, List-Unsubscribe, optional RSA-2048 DKIM) sent by a real `herald mta` process to
 * Postfix's smtp-sink; the baseline is smtp-source into the same sink in the same run, with messages
 * of the same size. With --per-hour, the domain is limited to R messages per hour and the busiest
 * minute seen by the sink is reported against the limit.
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

async function prepare(db: Database, deps: DeliveryDeps, messages: number): Promise<number> {
  await seedBenchRecipients(db, messages);
  const d = await createNewDelivery(deps, {
    internalName: 'bench-mta',
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

export async function benchMta(options: { messages: number; dkim: boolean; perHour: number }): Promise<Record<string, number>> {
  requirePostfixTools();
  const sink = await startSink();
  const rule =
    options.perHour > 0
      ? `[[mta.domainRules]]\nmatch = "bench.test"\nshared = false\nmaxConnections = 10\nmaxMessagesPerConnection = 100000\nmessagesPerHour = ${options.perHour}\n`
      : '';
  const instance = await benchInstance(
    `[mta]\ntransport = "smtp"\ntls = "disabled"\nheloName = "bench.local"\n[[mta.routes]]\ndomain = "*"\nhosts = ["127.0.0.1:${sink.port}"]\n${rule}[[mta.domainRules]]\nmatch = "*"\nshared = false\nmaxConnections = 10\nmaxMessagesPerConnection = 100000\nmessagesPerHour = 0\n`,
  );
  try {
    if (options.dkim) writeFileSync(instance.siteFile, dkimToml(instance.dir), { flag: 'a' });
    const config = (await import('../../server/shared/config/load.js')).loadConfig({ siteFile: instance.siteFile, env: {} }).config;
    const deps: DeliveryDeps = { db: instance.db, config, log: silentLogger(), dkim: loadDkimKeys(config) };
    const id = await prepare(instance.db, deps, options.messages);
    const size = await messageSize(deps, id);
    const baselineRate = await baseline(sink.port, Math.min(options.messages, 50_000), size);
    const before = sink.received();
    await startDelivery(deps, id, new Date());
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--import=tsx', join(APP_ROOT, 'server/cli/main.ts'), 'mta'], {
      env: { ...process.env, HERALD_CONFIG: instance.siteFile },
      stdio: 'ignore',
    });
    const perMinute: number[] = [];
    let rss = 0;
    for (let last = before; ;) {
      await sleep(1000);
      rss = Math.max(rss, processPeakRssMb(child.pid!));
      const now = sink.received();
      perMinute.push(now - last);
      last = now;
      if (now - before >= options.messages && (await deps.db.models.BroadLog.count({ where: { deliveryId: id, status: { [Op.ne]: 'sent' } } })) === 0) break;
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    child.kill('SIGTERM');
    await once(child, 'exit');
    const rate = options.messages / seconds;
    const result: Record<string, number> = {
      messages: options.messages,
      seconds: Math.round(seconds * 10) / 10,
      msgs_per_s: Math.round(rate),
      baseline_msgs_per_s: Math.round(baselineRate),
      ratio: Math.round((rate / baselineRate) * 100) / 100,
      peak_rss_mb: rss,
      received: sink.received() - before,
      dkim: options.dkim ? 1 : 0,
    };
    if (options.perHour > 0) {
      const windows = perMinute.map((_, i) => perMinute.slice(i, i + 60).reduce((a, b) => a + b, 0)).slice(0, Math.max(1, perMinute.length - 59));
      result.limit_per_min = Math.round(options.perHour / 60);
      result.max_per_min = Math.max(...windows);
    }
    return result;
  } finally {
    sink.stop();
    await instance.cleanup();
  }
}
