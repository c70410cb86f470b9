import type { Model, ModelStatic } from 'sequelize';
import type { Database } from '../../server/db/connect.js';
import { createNewDelivery } from '../../server/delivery/actions.js';
import { analyseDelivery, type DeliveryDeps } from '../../server/delivery/analyse.js';
import { silentLogger } from '../../server/shared/logger.js';
import { benchInstance, peakRssMb } from './instance.js';

/**
 * `bench prepare --recipients N`: the analysis of a delivery to N recipients on SQLite (target,
 * exclusions, control rules, tracked links, one pending broad log per message). The recipients are
 * seeded first by bulk inserts (not measured): 1% denylisted, 1% quarantined, 0.5% with an invalid
 * address and 0.5% upper-case duplicates of another recipient's address.
 */

const HTML = `<html><body><p>Hello <%= recipient.firstName %>,</p>
<% if (recipient.fields.plan === 'gold') { %><p>Your gold offer</p><% } %>
<a href="https://shop.example.com/spring?src=mail&amp;id=<%= recipient.id %>">Spring sale</a>
<a href="https://shop.example.com/account">Your account</a>
<a href="<%= links.unsubscribe %>">Unsubscribe</a></body></html>`;
const TEXT = 'Hello <%= recipient.firstName %>\nhttps://shop.example.com/spring?src=mail&id=<%= recipient.id %>\nUnsubscribe: <%= links.unsubscribe %>\n';

function recipientRow(i: number, now: Date): Record<string, unknown> {
  const email = i % 200 === 7 ? `broken-${i}` : i % 200 === 13 ? `USER${i - 1}@EXAMPLE${(i - 1) % 50}.COM` : `user${i}@example${i % 50}.com`;
  return {
    email,
    first_name: `First${i}`,
    last_name: `Last${i}`,
    email_format: i % 5 === 0 ? 'text' : 'html',
    fields: JSON.stringify({ plan: i % 3 === 0 ? 'gold' : 'basic' }),
    denylisted: i % 100 === 42,
    denylisted_email: false,
    created_at: now,
    updated_at: now,
  };
}

async function seed(db: Database, count: number): Promise<void> {
  const now = new Date();
  const qi = db.sequelize.getQueryInterface();
  const columns = (model: ModelStatic<Model>) => Object.fromEntries(Object.values(model.getAttributes()).map((a) => [a.field!, a]));
  for (let start = 0; start < count; start += 20_000) {
    const end = Math.min(count, start + 20_000);
    await db.write(async (transaction) => {
      for (let i = start; i < end; i += 1000) {
        const rows = Array.from({ length: Math.min(1000, end - i) }, (_, k) => recipientRow(i + k, now));
        await qi.bulkInsert('recipients', rows, { transaction }, columns(db.models.Recipient));
        const quarantined = rows
          .filter((_, k) => (i + k) % 100 === 17)
          .map((r) => ({ address: r.email, domain: String(r.email).split('@')[1], status: 'quarantine', error_count: 3, created_at: now, updated_at: now }));
        if (quarantined.length) await qi.bulkInsert('quarantines', quarantined, { transaction }, columns(db.models.Quarantine));
      }
    });
  }
}

export async function benchPrepare(options: { recipients: number }): Promise<Record<string, number>> {
  const instance = await benchInstance();
  try {
    const { db, config } = instance;
    await seed(db, options.recipients);
    const deps: DeliveryDeps = { db, config, log: silentLogger(), dkim: [] };
    await createNewDelivery(deps, {
      internalName: 'bench',
      label: 'Benchmark',
      kind: 'marketing',
      subject: 'Spring offers for <%= recipient.firstName %>',
      fromName: 'Shop',
      fromAddress: 'news@shop.example.com',
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
    const started = process.hrtime.bigint();
    const report = await analyseDelivery(deps, 'bench');
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (report.totalTarget !== options.recipients) throw new Error(`analysed ${report.totalTarget} recipients, expected ${options.recipients}`);
    return {
      recipients: report.totalTarget,
      seconds: Math.round(seconds * 100) / 100,
      per_s: Math.round(report.totalTarget / seconds),
      peak_rss_mb: peakRssMb(),
      to_deliver: report.toDeliver,
      excluded: report.excluded,
    };
  } finally {
    await instance.cleanup();
  }
}
