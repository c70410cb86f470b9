import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Op } from 'sequelize';
import type { Database } from '../../server/db/connect.js';
import { createNewDelivery, startDelivery } from '../../server/delivery/actions.js';
import { analyseDelivery, type DeliveryDeps } from '../../server/delivery/analyse.js';
import { APP_ROOT } from '../../server/shared/app-root.js';
import { silentLogger } from '../../server/shared/logger.js';
import { benchInstance } from './instance.js';
import { startSmsc } from './smsc.js';

/**
 * `bench sms --messages N [--window W]`: a personalized SMS delivery of N messages (a tracked link
 * each) sent by a real `herald sms` process over SMPP to a local SMSC (the `smpp` package's server
 * side, in this process) that answers every submit_sm and returns a delivery receipt for each.
 * Measured from the start of the delivery until every message is sent and every receipt matched.
 * `duplicates`: submits beyond one per number; `lost`: numbers the SMSC never got.
 */

const TEXT = 'Hi <%= recipient.firstName %>, spring sale -20% today: https://shop.example.com/spring?id=<%= recipient.id %> STOP 36111';

async function seedRecipients(db: Database, count: number): Promise<void> {
  const now = new Date();
  const columns = Object.fromEntries(Object.values(db.models.Recipient.getAttributes()).map((a) => [a.field!, a]));
  for (let start = 0; start < count; start += 1000) {
    const rows = Array.from({ length: Math.min(1000, count - start) }, (_, k) => ({
      email: `user${start + k}@bench.test`,
      first_name: `First${start + k}`,
      email_format: 'text',
      mobile: `+336${String(10_000_000 + start + k)}`,
      denylisted: false,
      denylisted_email: false,
      denylisted_sms: false,
      created_at: now,
      updated_at: now,
    }));
    await db.write((transaction) => db.sequelize.getQueryInterface().bulkInsert('recipients', rows, { transaction }, columns));
  }
}

function peakRss(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 102.4) / 10 : 0;
  } catch {
    return 0;
  }
}

export async function benchSms(options: { messages: number; window: number }): Promise<Record<string, number>> {
  const smsc = await startSmsc();
  const instance = await benchInstance(
    `[sms]\nclaimBatch = 500\nmaxInFlight = 2000\ncommitIntervalMs = 100\nidlePollMs = 100\n[[sms.connectors]]\nname = "bench"\nhost = "127.0.0.1"\nport = ${smsc.port}\n` +
      `systemId = "herald"\npassword = "secret"\nsourceAddress = "36111"\nwindowSize = ${options.window}\n`,
  );
  try {
    const deps: DeliveryDeps = { db: instance.db, config: instance.config, log: silentLogger(), dkim: [] };
    await seedRecipients(instance.db, options.messages);
    const d = await createNewDelivery(deps, {
      internalName: 'bench-sms',
      label: 'SMS benchmark',
      kind: 'marketing',
      channel: 'sms',
      subject: '',
      fromName: null,
      fromAddress: '',
      replyTo: null,
      html: null,
      text: TEXT,
      headers: {},
      target: { kind: 'all' },
      exclusions: { duplicates: true, denylisted: true, quarantined: true, limit: null },
      serviceId: null,
      trackingEnabled: true,
      openTracking: false,
      scheduledAt: null,
      validityEnd: null,
    });
    const report = await analyseDelivery(deps, d.id);
    if (report.toDeliver !== options.messages) throw new Error(`analysis prepared ${report.toDeliver} messages, expected ${options.messages}`);
    await startDelivery(deps, d.id, new Date());
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--import=tsx', join(APP_ROOT, 'server/cli/main.ts'), 'sms'], {
      env: { ...process.env, HERALD_CONFIG: instance.siteFile },
      stdio: 'ignore',
    });
    const { BroadLog } = instance.db.models;
    let rss = 0;
    let sentAt: number | undefined;
    for (;;) {
      await sleep(500);
      rss = Math.max(rss, peakRss(child.pid!));
      if (child.exitCode !== null) throw new Error(`herald sms exited with code ${child.exitCode}`);
      if (sentAt === undefined && (await BroadLog.count({ where: { deliveryId: d.id, status: { [Op.ne]: 'sent' } } })) === 0)
        sentAt = Number(process.hrtime.bigint() - started) / 1e9;
      if (sentAt !== undefined && (await BroadLog.count({ where: { deliveryId: d.id, receiptStatus: 'delivered' } })) === options.messages) break;
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    child.kill('SIGTERM');
    await once(child, 'exit');
    const perNumber = new Set(smsc.submits.map((s) => s.destination));
    return {
      messages: options.messages,
      sms_per_s: Math.round(options.messages / seconds),
      dlr_matched: await BroadLog.count({ where: { deliveryId: d.id, receiptStatus: 'delivered' } }),
      duplicates: smsc.submits.length - perNumber.size,
      lost: options.messages - perNumber.size,
      peak_rss_mb: rss,
    };
  } finally {
    await smsc.close();
    await instance.cleanup();
  }
}
