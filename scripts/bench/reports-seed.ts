import type { Model, ModelStatic } from 'sequelize';
import type { Database } from '../../server/db/connect.js';

/**
 * The data of `bench reports`, written by bulk inserts (1000 rows per INSERT, 20 000 per
 * transaction): N recipients, one delivery with a broad log per recipient (93% sent, 5% failed at
 * the recipients' domains, 2% pending), 300 000 opens and clicks over two days, SMTP statistics per
 * domain, quarantines, and a service with a year of subscription events.
 */

const DOMAINS = 50;
const HOUR = 3_600_000;
const FAILURES = [
  ['hard', 'user_unknown'],
  ['soft', 'mailbox_full'],
  ['hard', 'invalid_domain'],
  ['soft', 'unreachable'],
  ['hard', 'refused'],
] as const;

const columns = (model: ModelStatic<Model>) => Object.fromEntries(Object.values(model.getAttributes()).map((a) => [a.field!, a]));

/** Inserts `count` rows made by `row(i)` into the model's table. */
async function bulk(db: Database, model: ModelStatic<Model>, count: number, row: (i: number) => Record<string, unknown>): Promise<void> {
  const qi = db.sequelize.getQueryInterface();
  const cols = columns(model);
  for (let start = 0; start < count; start += 20_000) {
    const end = Math.min(count, start + 20_000);
    await db.write(async (transaction) => {
      for (let i = start; i < end; i += 1000)
        await qi.bulkInsert(
          model.getTableName() as string,
          Array.from({ length: Math.min(1000, end - i) }, (_, k) => row(i + k)),
          { transaction },
          cols,
        );
    });
  }
}

const email = (i: number) => `user${i}@example${i % DOMAINS}.com`;

export interface Seeded {
  deliveryId: number;
  serviceId: number;
}

/** A deterministic pseudo-random number in [0, 1) for row i (no state, same data every run). */
const rand = (i: number, salt = 0) => {
  const x = Math.sin(i * 12.9898 + salt * 78.233) * 43758.5453;
  return x - Math.floor(x);
};

export async function seedReports(db: Database, recipients: number, trackingRows: number, now: Date): Promise<Seeded> {
  const created = new Date(now.getTime() - 400 * 24 * HOUR);
  await bulk(db, db.models.Recipient, recipients, (i) => ({
    email: email(i),
    first_name: `First${i}`,
    last_name: `Last${i}`,
    email_format: i % 5 === 0 ? 'text' : 'html',
    fields: null,
    denylisted: false,
    denylisted_email: false,
    created_at: created,
    updated_at: created,
  }));
  const firstRecipient = Number(await db.models.Recipient.min('id'));
  const started = new Date(now.getTime() - 40 * HOUR);
  // a fixture row straight in the state a report reads (the lifecycle has no path that takes a benchmark there)
  const delivery = await db.write((transaction) =>
    db.models.Delivery.create(
      {
        internalName: 'bench-spring',
        label: 'Spring (benchmark)',
        kind: 'marketing',
        state: 'in_progress',
        subject: 'Spring',
        fromAddress: 'news@shop.example.com',
        html: '<p>x</p>',
        target: { kind: 'all' } as Record<string, unknown>,
        totalTarget: recipients,
        toDeliver: recipients,
        analysedAt: started,
        startedAt: started,
      },
      { transaction },
    ),
  );
  const outcome = (i: number) => (i % 100 < 93 ? 'sent' : i % 100 < 98 ? 'failed' : 'pending');
  await bulk(db, db.models.BroadLog, recipients, (i) => {
    const status = outcome(i);
    const failure = status === 'failed' ? FAILURES[(i + (i % DOMAINS)) % FAILURES.length]! : undefined;
    return {
      delivery_id: delivery.id,
      recipient_id: firstRecipient + i,
      address: email(i),
      email_format: i % 5 === 0 ? 'text' : 'html',
      status,
      failure_type: failure?.[0] ?? null,
      failure_reason: failure?.[1] ?? null,
      attempts: status === 'pending' ? i % 3 : 1,
      next_attempt_at: status === 'pending' && i % 2 === 0 ? new Date(now.getTime() + HOUR) : null,
      sent_at: status === 'sent' ? new Date(started.getTime() + (i / recipients) * 10 * HOUR) : null,
      created_at: started,
      updated_at: started,
    };
  });
  const counts = { sent: 0, failed: 0 };
  for (let i = 0; i < recipients; i++) if (outcome(i) !== 'pending') counts[outcome(i) as 'sent' | 'failed']++;
  await db.write((transaction) =>
    db.models.Delivery.update({ processed: counts.sent + counts.failed, ...counts }, { where: { id: delivery.id }, transaction }),
  );
  await seedTracking(db, delivery.id, recipients, trackingRows, started, now);
  await seedOperations(db, recipients, started, now);
  const serviceId = await seedSubscriptions(db, Math.min(300_000, recipients), firstRecipient, now);
  return { deliveryId: delivery.id, serviceId };
}

async function seedTracking(db: Database, deliveryId: number, recipients: number, rows: number, started: Date, now: Date): Promise<void> {
  const urls = await db.write(async (transaction) => {
    const make = (type: 'open' | 'click' | 'opt_out' | 'mirror', url: string, label: string) =>
      db.models.TrackingUrl.create({ deliveryId, type, url, label, createdAt: started }, { transaction });
    return Promise.all([
      make('open', '', 'Open'),
      make('click', 'https://shop.example.com/spring?id={p1}', 'Spring sale'),
      make('click', 'https://shop.example.com/account', 'Your account'),
      make('click', 'https://blog.example.com/post', 'Blog'),
      make('opt_out', 'https://www.example.com/unsubscribe', 'Unsubscribe'),
    ]);
  });
  const firstLog = Number(await db.models.BroadLog.min('id', { where: { deliveryId } }));
  const span = now.getTime() - started.getTime();
  await bulk(db, db.models.TrackingLog, rows, (i) => {
    const message = Math.floor(rand(i, 1) * recipients);
    const open = i % 10 < 6;
    const url = open ? urls[0]! : urls[1 + (i % 4)]!;
    return {
      hit_id: `bench-${i}`,
      delivery_id: deliveryId,
      broad_log_id: firstLog + message,
      recipient_id: null,
      url_id: url.id,
      url_type: url.type,
      logged_at: new Date(started.getTime() + Math.pow(rand(i, 2), 2) * span),
      source_id: `s${message}`,
      ip: null,
      user_agent: null,
      bot: i % 20 === 0 ? 'privacy_proxy' : null,
      server: 'bench',
      created_at: now,
    };
  });
}

async function seedOperations(db: Database, recipients: number, started: Date, now: Date): Promise<void> {
  const slots = 10 * 12;
  await bulk(db, db.models.SmtpStat, DOMAINS * slots, (i) => {
    const domain = i % DOMAINS;
    const slot = Math.floor(i / DOMAINS);
    const messages = 100 + ((domain * 7 + slot) % 60);
    return {
      domain: `example${domain}.com`,
      slot_start: new Date(Math.floor(started.getTime() / 300_000) * 300_000 + slot * 300_000),
      connections: 2,
      messages,
      sent: messages - 6,
      soft_errors: 4,
      hard_errors: 2,
      timeouts: 0,
      refused_connections: 0,
      last_response: null,
      updated_at: now,
    };
  });
  await bulk(db, db.models.SmtpStat, DOMAINS * 5, (i) => ({
    domain: `example${i % DOMAINS}.com`,
    slot_start: new Date(Math.floor(now.getTime() / (24 * HOUR)) * 24 * HOUR - (3 + Math.floor(i / DOMAINS)) * 24 * HOUR),
    connections: 20,
    messages: 5000,
    sent: 4900,
    soft_errors: 70,
    hard_errors: 30,
    timeouts: 0,
    refused_connections: 0,
    last_response: null,
    updated_at: now,
  }));
  const statuses = ['quarantine', 'quarantine', 'quarantine', 'with_errors', 'with_errors', 'denylisted'] as const;
  await bulk(db, db.models.Quarantine, Math.floor(recipients / 50), (i) => ({
    address: email(i * 37 + 11),
    domain: `example${(i * 37 + 11) % DOMAINS}.com`,
    status: statuses[i % statuses.length],
    failure_type: 'hard',
    failure_reason: FAILURES[i % FAILURES.length]![1],
    error_count: 1 + (i % 4),
    last_error_at: now,
    text: null,
    delivery_id: null,
    created_at: now,
    updated_at: new Date(now.getTime() - (i % 1000) * 60_000),
  }));
}

async function seedSubscriptions(db: Database, count: number, firstRecipient: number, now: Date): Promise<number> {
  const service = await db.write((transaction) =>
    db.models.Service.create(
      { name: 'news', label: 'Newsletter', description: null, channel: 'email', doubleOptIn: false, validityDays: null, createdAt: now, updatedAt: now },
      { transaction },
    ),
  );
  const when = (i: number) => new Date(now.getTime() - Math.floor(rand(i, 3) * 365 * 24) * HOUR);
  await bulk(db, db.models.Subscription, count, (i) => ({
    service_id: service.id,
    recipient_id: firstRecipient + i,
    status: i % 10 === 0 ? 'unsubscribed' : 'active',
    origin: 'bench',
    confirmed_at: when(i),
    expires_at: null,
    created_at: when(i),
    updated_at: when(i),
  }));
  await bulk(db, db.models.SubscriptionHistory, count + Math.floor(count / 10), (i) =>
    i < count
      ? { service_id: service.id, recipient_id: firstRecipient + i, action: 'subscribe', origin: 'bench', at: when(i) }
      : { service_id: service.id, recipient_id: firstRecipient + (i - count) * 10, action: 'unsubscribe', origin: 'bench', at: now },
  );
  return service.id;
}

/** How many rows the seeded tables hold (checked before timing). */
export async function seededCounts(db: Database): Promise<Record<string, number>> {
  const count = async (model: ModelStatic<Model>) => Number(await model.count());
  return { recipients: await count(db.models.Recipient), broad_logs: await count(db.models.BroadLog), tracking_logs: await count(db.models.TrackingLog) };
}
