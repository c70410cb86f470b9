import { Op } from 'sequelize';
import { HeraldError } from '../../shared/errors.js';
import type { BroadLogStatus, DeliveryState, EmailFormat, FailureReason, FailureType } from '../../shared/glossary.js';
import type { Database } from '../connect.js';
import type { TransactionalEvent } from '../models/index.js';

/**
 * Transactional events: stored in batches (one transaction, so one disk sync, for many API calls),
 * each routed event with its pending broad log in the same transaction; read back with the state
 * of that broad log; and their context data for the messages the MTA builds.
 */

export interface NewEvent {
  type: string;
  email: string;
  ctx: Readonly<Record<string, unknown>> | null;
  emailFormat: EmailFormat;
  origin: string;
  apiKeyId: number | null;
  idempotencyScope: string | null;
  requestHash: string | null;
  /** Where the message goes: the event type and its current delivery; null when no template is published. */
  route: { eventTypeId: number; deliveryId: number } | null;
}

/** What every read of an event gives. */
interface EventRow {
  id: number;
  type: string;
  email: string;
  status: 'routed' | 'not_covered';
  deliveryId: number | null;
  broadLogId: number | null;
  createdAt: Date;
}

export interface StoredEvent extends EventRow {
  requestHash: string | null;
  /** An earlier event with the same idempotency key (nothing new was stored). */
  duplicate: boolean;
}

/** A route named a delivery that is no longer active (finished or stopped meanwhile): route again. */
export const ROUTE_STALE = 'EVENT_ROUTE_STALE';

const CHUNK = 500;

const stored = (e: TransactionalEvent, duplicate: boolean): StoredEvent => ({
  id: e.id,
  type: e.type,
  email: e.email,
  status: e.status,
  deliveryId: e.deliveryId,
  broadLogId: e.broadLogId,
  createdAt: e.createdAt,
  requestHash: e.requestHash,
  duplicate,
});

async function existingByScope(
  db: Database,
  scopes: readonly string[],
  transaction: Parameters<Parameters<Database['write']>[0]>[0],
): Promise<Map<string, StoredEvent>> {
  const { TransactionalEvent } = db.models;
  const out = new Map<string, StoredEvent>();
  for (let i = 0; i < scopes.length; i += CHUNK) {
    const rows = await TransactionalEvent.findAll({ where: { idempotencyScope: { [Op.in]: scopes.slice(i, i + CHUNK) } }, transaction });
    for (const r of rows) out.set(r.idempotencyScope!, stored(r, true));
  }
  return out;
}

type Tx = Parameters<Parameters<Database['write']>[0]>[0];

/**
 * Bulk inserts (at most CHUNK rows per statement): the broad logs of the routed events, then the
 * events with their broad log ids. Sequelize's bulkCreate gives the new ids in row order (SQLite:
 * consecutive ids under the write lock; SQL Server: OUTPUT INSERTED).
 */
async function insertFresh(
  db: Database,
  events: readonly NewEvent[],
  now: Date,
  transaction: Tx,
): Promise<Array<StoredEvent & { idempotencyScope: string | null }>> {
  const { BroadLog, TransactionalEvent } = db.models;
  const routed = events.filter((e) => e.route);
  const logIds: number[] = [];
  for (let i = 0; i < routed.length; i += CHUNK) {
    const logs = routed.slice(i, i + CHUNK).map((e) => ({
      deliveryId: e.route!.deliveryId,
      recipientId: null,
      address: e.email,
      emailFormat: e.emailFormat,
      status: 'pending' as const,
      attempts: 0,
      nextAttemptAt: null,
      createdAt: now,
      updatedAt: now,
    }));
    logIds.push(...(await BroadLog.bulkCreate(logs, { transaction, validate: false })).map((l) => l.id));
  }
  if (logIds.length !== routed.length || logIds.some((id) => !Number.isSafeInteger(id))) throw new Error('the new broad log ids were not returned');
  const logOf = new Map(routed.map((e, i) => [e, logIds[i]!]));
  const out: Array<StoredEvent & { idempotencyScope: string | null }> = [];
  for (let i = 0; i < events.length; i += CHUNK) {
    const rows = events.slice(i, i + CHUNK).map((e) => ({
      type: e.type,
      email: e.email,
      ctx: e.ctx ? JSON.stringify(e.ctx) : null,
      status: e.route ? ('routed' as const) : ('not_covered' as const),
      eventTypeId: e.route?.eventTypeId ?? null,
      deliveryId: e.route?.deliveryId ?? null,
      broadLogId: logOf.get(e) ?? null,
      origin: e.origin,
      apiKeyId: e.apiKeyId,
      idempotencyScope: e.idempotencyScope,
      requestHash: e.requestHash,
      createdAt: now,
    }));
    const created = await TransactionalEvent.bulkCreate(rows, { transaction, validate: false });
    created.forEach((row, k) => out.push({ ...stored(row, false), idempotencyScope: rows[k]!.idempotencyScope }));
  }
  return out;
}

/**
 * Stores a batch of events in ONE write transaction, in input order: an event whose idempotency
 * scope exists already (or appears earlier in the batch) is answered with the stored one; a routed
 * event gets its pending broad log. Throws ROUTE_STALE (nothing written) when a route's delivery
 * is no longer in one of `activeStates`, so the caller routes again.
 */
export async function storeEvents(db: Database, events: readonly NewEvent[], now: Date, activeStates: readonly DeliveryState[]): Promise<StoredEvent[]> {
  const { Delivery } = db.models;
  return db.write(async (transaction) => {
    const deliveryIds = [...new Set(events.flatMap((e) => (e.route ? [e.route.deliveryId] : [])))];
    if (deliveryIds.length > 0) {
      // Read under the write lock (SQLite) or with update locks (SQL Server): a state change cannot slip in before the commit.
      const active = await Delivery.findAll({
        attributes: ['id'],
        where: { id: { [Op.in]: deliveryIds }, state: { [Op.in]: [...activeStates] } },
        transaction,
        lock: transaction.LOCK.UPDATE,
      });
      if (active.length !== deliveryIds.length) throw new HeraldError(ROUTE_STALE, 'a transactional delivery left the active states; route again');
    }
    const scopes = [...new Set(events.flatMap((e) => (e.idempotencyScope ? [e.idempotencyScope] : [])))];
    const known = scopes.length > 0 ? await existingByScope(db, scopes, transaction) : new Map<string, StoredEvent>();
    // Fresh events in input order; repeats of an idempotency key (stored or earlier in the batch) point at their first event.
    const fresh: NewEvent[] = [];
    const freshScopes = new Set<string>();
    const plan = events.map((e) => {
      const scope = e.idempotencyScope;
      if (scope && (known.has(scope) || freshScopes.has(scope))) return scope;
      if (scope) freshScopes.add(scope);
      fresh.push(e);
      return fresh.length - 1;
    });
    const rows = await insertFresh(db, fresh, now, transaction);
    for (const row of rows) if (row.idempotencyScope) known.set(row.idempotencyScope, row);
    return plan.map((p): StoredEvent => {
      if (typeof p !== 'number') return { ...known.get(p)!, duplicate: true };
      const { idempotencyScope: _scope, ...event } = rows[p]!;
      return event;
    });
  });
}

/** An event with the state of its message (its broad log). */
export interface EventView extends EventRow {
  message: { status: BroadLogStatus; failureType: FailureType | null; failureReason: FailureReason | null; attempts: number; sentAt: Date | null } | null;
}

export async function findEvent(db: Database, id: number): Promise<EventView | undefined> {
  const { BroadLog, TransactionalEvent } = db.models;
  const e = await TransactionalEvent.findByPk(id);
  if (!e) return undefined;
  const log =
    e.broadLogId === null ? null : await BroadLog.findByPk(e.broadLogId, { attributes: ['status', 'failureType', 'failureReason', 'attempts', 'sentAt'] });
  return {
    id: e.id,
    type: e.type,
    email: e.email,
    status: e.status,
    deliveryId: e.deliveryId,
    broadLogId: e.broadLogId,
    createdAt: e.createdAt,
    message: log
      ? {
          status: log.status,
          failureType: log.failureType ?? null,
          failureReason: log.failureReason ?? null,
          attempts: log.attempts,
          sentAt: log.sentAt ?? null,
        }
      : null,
  };
}

/**
 * The context data of the events behind a batch of broad logs (the MTA calls this for each claimed
 * batch and passes each one to buildMessages as `event`). Broad logs without an event are absent.
 */
export async function eventContexts(db: Database, broadLogIds: readonly number[]): Promise<Map<number, Record<string, unknown>>> {
  const { TransactionalEvent } = db.models;
  const out = new Map<number, Record<string, unknown>>();
  const ids = [...new Set(broadLogIds)];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await TransactionalEvent.findAll({ attributes: ['broadLogId', 'ctx'], where: { broadLogId: { [Op.in]: ids.slice(i, i + CHUNK) } } });
    for (const r of rows) out.set(r.broadLogId!, r.ctx ? (JSON.parse(r.ctx) as Record<string, unknown>) : {});
  }
  return out;
}

/** Housekeeping: events received before `before`, in batches (their broad logs follow the broad log retention). */
export async function deleteEventsBefore(db: Database, before: Date, batch = 4000): Promise<number> {
  const { TransactionalEvent } = db.models;
  let total = 0;
  for (;;) {
    const ids = (await TransactionalEvent.findAll({ attributes: ['id'], where: { createdAt: { [Op.lt]: before } }, order: [['id', 'ASC']], limit: batch })).map(
      (e) => e.id,
    );
    if (ids.length === 0) return total;
    total += await db.write((transaction) => TransactionalEvent.destroy({ where: { id: { [Op.in]: ids } }, transaction }));
  }
}
