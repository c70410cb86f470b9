import { col, fn, Op } from 'sequelize';
import type { Database } from '../connect.js';
import type { TrackingUrl } from '../models/index.js';

/**
 * The webhook log and its sources. Events are read from what the other modules already write, in
 * order, each source from its cursor: clicks from tracking_logs (by id), bounces and complaints from
 * quarantines (by change time and id), unsubscribes from subscription_history (by id; service 0 =
 * all email). A callback is queued once per endpoint and event (unique endpoint + event key), in the
 * same transaction as the cursor move.
 */

export const WEBHOOK_SOURCES = ['clicks', 'quarantines', 'unsubscribes'] as const;
export type WebhookSource = (typeof WEBHOOK_SOURCES)[number];

export interface SourceEvent {
  type: 'click' | 'bounce' | 'complaint' | 'unsubscribe';
  /** `<source>:<row id>[:<change time>]`: identifies the event for the receiver's deduplication. */
  key: string;
  occurredAt: Date;
  data: Record<string, unknown>;
}

const byId = async <T>(rows: readonly T[], load: (ids: number[]) => Promise<Array<[number, unknown]>>, idOf: (row: T) => number | null) => {
  const ids = [...new Set(rows.map(idOf).filter((id): id is number => id !== null))];
  return new Map(ids.length ? await load(ids) : []);
};

async function clicks(db: Database, after: string, limit: number): Promise<{ events: SourceEvent[]; cursor: string }> {
  const { BroadLog, TrackingLog, TrackingUrl } = db.models;
  const rows = await TrackingLog.findAll({ where: { id: { [Op.gt]: Number(after) }, urlType: 'click' }, order: [['id', 'ASC']], limit });
  const urls = await byId(
    rows,
    async (ids) => (await TrackingUrl.findAll({ attributes: ['id', 'url', 'label'], where: { id: ids } })).map((u) => [u.id, u]),
    (r) => r.urlId,
  );
  const logs = await byId(
    rows,
    async (ids) => (await BroadLog.findAll({ attributes: ['id', 'address'], where: { id: ids } })).map((l) => [l.id, l.address]),
    (r) => r.broadLogId,
  );
  const events = rows.map((r): SourceEvent => {
    const url = urls.get(r.urlId ?? -1) as TrackingUrl | undefined;
    const data = {
      deliveryId: r.deliveryId,
      broadLogId: r.broadLogId,
      recipientId: r.recipientId,
      email: logs.get(r.broadLogId ?? -1) ?? null,
      url: url?.url ?? null,
      label: url?.label ?? null,
      bot: r.bot,
    };
    return { type: 'click', key: `click:${r.id}`, occurredAt: r.loggedAt, data };
  });
  return { events, cursor: rows.length ? String(rows[rows.length - 1]!.id) : after };
}

async function quarantines(db: Database, after: string, limit: number): Promise<{ events: SourceEvent[]; cursor: string }> {
  const { Quarantine } = db.models;
  const [at, id] = after.split('|');
  const since = new Date(at!);
  const rows = await Quarantine.findAll({
    where: {
      status: { [Op.in]: ['with_errors', 'quarantine', 'denylisted'] },
      [Op.or]: [{ updatedAt: { [Op.gt]: since } }, { updatedAt: since, id: { [Op.gt]: Number(id) } }],
    },
    order: [
      ['updatedAt', 'ASC'],
      ['id', 'ASC'],
    ],
    limit,
  });
  const events = rows.map((q): SourceEvent => {
    const complaint = q.status === 'denylisted';
    const data = complaint
      ? { email: q.address, deliveryId: q.deliveryId }
      : { email: q.address, status: q.status, failureType: q.failureType, failureReason: q.failureReason, errorCount: q.errorCount, deliveryId: q.deliveryId };
    return { type: complaint ? 'complaint' : 'bounce', key: `quarantine:${q.id}:${q.updatedAt.getTime()}`, occurredAt: q.updatedAt, data };
  });
  const last = rows[rows.length - 1];
  return { events, cursor: last ? `${last.updatedAt.toISOString()}|${last.id}` : after };
}

async function unsubscribes(db: Database, after: string, limit: number): Promise<{ events: SourceEvent[]; cursor: string }> {
  const { Recipient, Service, SubscriptionHistory } = db.models;
  const rows = await SubscriptionHistory.findAll({ where: { id: { [Op.gt]: Number(after) }, action: 'unsubscribe' }, order: [['id', 'ASC']], limit });
  const emails = await byId(
    rows,
    async (ids) => (await Recipient.findAll({ attributes: ['id', 'email'], where: { id: ids } })).map((r) => [r.id, r.email]),
    (r) => r.recipientId,
  );
  const services = await byId(
    rows,
    async (ids) => (await Service.findAll({ attributes: ['id', 'name'], where: { id: ids } })).map((s) => [s.id, s.name]),
    (r) => r.serviceId || null,
  );
  const events = rows.map((h): SourceEvent => {
    const data = {
      recipientId: h.recipientId,
      email: emails.get(h.recipientId) ?? null,
      serviceId: h.serviceId,
      service: services.get(h.serviceId) ?? null,
      origin: h.origin,
    };
    return { type: 'unsubscribe', key: `unsubscribe:${h.id}`, occurredAt: h.at, data };
  });
  return { events, cursor: rows.length ? String(rows[rows.length - 1]!.id) : after };
}

const READERS: Record<WebhookSource, (db: Database, after: string, limit: number) => Promise<{ events: SourceEvent[]; cursor: string }>> = {
  clicks,
  quarantines,
  unsubscribes,
};

/** The next events of a source after its cursor, and where the cursor goes next. */
export function readSource(db: Database, source: WebhookSource, after: string, limit: number): Promise<{ events: SourceEvent[]; cursor: string }> {
  return READERS[source](db, after, limit);
}

export async function readCursor(db: Database, source: WebhookSource): Promise<string | undefined> {
  const { WebhookCursor } = db.models;
  return (await WebhookCursor.findByPk(source))?.position;
}

/** Where a source with no cursor starts: after what exists now (webhooks never replay history). */
export async function currentEnd(db: Database, source: WebhookSource, now: Date): Promise<string> {
  const { SubscriptionHistory, TrackingLog } = db.models;
  const maxId = { attributes: [[fn('MAX', col('id')), 'max']] as [ReturnType<typeof fn>, string][], raw: true };
  const max = (row: unknown) => String(Number((row as { max?: number | string } | null)?.max ?? 0));
  if (source === 'clicks') return max(await TrackingLog.findOne(maxId));
  if (source === 'unsubscribes') return max(await SubscriptionHistory.findOne(maxId));
  return `${now.toISOString()}|0`;
}

export interface QueuedCallback {
  endpoint: string;
  event: SourceEvent;
}

/** Queues callbacks (each endpoint + event once) and moves the source's cursor, in one transaction. */
export async function queueCallbacks(db: Database, source: WebhookSource, cursor: string, callbacks: readonly QueuedCallback[], now: Date): Promise<number> {
  const { WebhookCursor, WebhookDelivery } = db.models;
  return db.write(async (transaction) => {
    let queued = 0;
    for (let i = 0; i < callbacks.length; i += 500) {
      const chunk = callbacks.slice(i, i + 500);
      const existing = await WebhookDelivery.findAll({
        attributes: ['endpoint', 'eventKey'],
        where: { endpoint: { [Op.in]: [...new Set(chunk.map((c) => c.endpoint))] }, eventKey: { [Op.in]: [...new Set(chunk.map((c) => c.event.key))] } },
        transaction,
      });
      const seen = new Set(existing.map((e) => `${e.endpoint}\u0000${e.eventKey}`));
      const fresh = chunk.filter((c) => !seen.has(`${c.endpoint}\u0000${c.event.key}`));
      const rows = fresh.map((c) => ({
        endpoint: c.endpoint,
        eventType: c.event.type,
        eventKey: c.event.key,
        payload: JSON.stringify({ id: c.event.key, type: c.event.type, occurredAt: c.event.occurredAt.toISOString(), data: c.event.data }),
        status: 'pending' as const,
        attempts: 0,
        nextAttemptAt: now,
        createdAt: now,
        updatedAt: now,
      }));
      if (rows.length) await WebhookDelivery.bulkCreate(rows, { transaction });
      queued += rows.length;
    }
    await WebhookCursor.upsert({ source, position: cursor, updatedAt: now }, { transaction });
    return queued;
  });
}

export interface DueCallback {
  id: number;
  endpoint: string;
  eventType: string;
  payload: string;
  attempts: number;
}

export async function dueCallbacks(db: Database, now: Date, limit: number): Promise<DueCallback[]> {
  const { WebhookDelivery } = db.models;
  const rows = await WebhookDelivery.findAll({
    where: { status: 'pending', nextAttemptAt: { [Op.lte]: now } },
    order: [
      ['nextAttemptAt', 'ASC'],
      ['id', 'ASC'],
    ],
    limit,
  });
  return rows.map((r) => ({ id: r.id, endpoint: r.endpoint, eventType: r.eventType, payload: r.payload, attempts: r.attempts }));
}

export type CallbackOutcome =
  { status: 'sent'; httpStatus: number } | { status: 'pending' | 'failed'; httpStatus: number | null; error: string; nextAttemptAt: Date | null };

export async function settleCallback(db: Database, id: number, outcome: CallbackOutcome, now: Date): Promise<void> {
  const { WebhookDelivery } = db.models;
  const values =
    outcome.status === 'sent'
      ? { status: 'sent' as const, lastStatus: outcome.httpStatus, lastError: null, sentAt: now, nextAttemptAt: null }
      : { status: outcome.status, lastStatus: outcome.httpStatus, lastError: outcome.error.slice(0, 255), nextAttemptAt: outcome.nextAttemptAt };
  await db.write(async (transaction) => {
    const row = await WebhookDelivery.findByPk(id, { transaction });
    if (row) await row.update({ ...values, attempts: row.attempts + 1, updatedAt: now }, { transaction });
  });
}

/** Housekeeping: callback log rows created before `before`. */
export async function deleteCallbacksBefore(db: Database, before: Date): Promise<number> {
  const { WebhookDelivery } = db.models;
  return db.write((transaction) => WebhookDelivery.destroy({ where: { createdAt: { [Op.lt]: before }, status: { [Op.ne]: 'pending' } }, transaction }));
}
