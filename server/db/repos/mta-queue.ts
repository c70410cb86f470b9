import { Op, QueryTypes, literal } from 'sequelize';
import {
  SENDING_STATES,
  type BroadLogStatus,
  type Channel,
  type DeliveryState,
  type EmailFormat,
  type FailureReason,
  type FailureType,
} from '../../shared/glossary.js';
import type { Database, Dialect, WriteTransaction } from '../connect.js';
import { sqlValue } from '../raw-rows.js';
import { sqlDate } from '../sql-values.js';

/**
 * The MTA's queue is the broad log: due `pending` rows of running deliveries are claimed with a
 * lease (owner + expiry), sent, then settled in grouped commits. The claim is the one statement
 * whose SQL differs by dialect: SQLite uses UPDATE … RETURNING under its single writer; SQL Server
 * uses a CTE with UPDLOCK, READPAST, ROWLOCK and OUTPUT, PostgreSQL a subquery FOR UPDATE SKIP
 * LOCKED with RETURNING, so concurrent MTAs on any number of machines skip each other's rows.
 *
 * A lease is fenced: the MTA holding messages renews their leases while they are in flight, and
 * writes an outcome only for the messages still leased to it. An MTA that lost a lease (it stalled
 * past the expiry and another MTA claimed the message) writes nothing for it: the other MTA's
 * outcome stands and the message is counted once.
 */

export interface ActiveDelivery {
  id: number;
  kind: string;
  state: DeliveryState;
  validityEnd: Date | null;
  serviceId: number | null;
  startedAt: Date | null;
}

export interface ClaimedMessage {
  id: number;
  deliveryId: number;
  recipientId: number | null;
  address: string;
  emailFormat: EmailFormat;
  attempts: number;
}

/**
 * Deliveries of a channel whose messages may go out now; transactional ones first (they have
 * priority). The MTA reads the email ones, the SMS module the SMS ones.
 */
export async function sendingDeliveries(db: Database, now: Date, channel: Channel = 'email'): Promise<ActiveDelivery[]> {
  const { Delivery } = db.models;
  const rows = await Delivery.findAll({
    attributes: ['id', 'kind', 'state', 'validityEnd', 'serviceId', 'startedAt'],
    where: { channel, state: { [Op.in]: [...SENDING_STATES] }, isTemplate: false, [Op.or]: [{ validityEnd: null }, { validityEnd: { [Op.gt]: now } }] },
    order: [['id', 'ASC']],
  });
  const list = rows.map((d) => ({
    id: d.id,
    kind: d.kind,
    state: d.state,
    validityEnd: d.validityEnd,
    serviceId: d.serviceId,
    startedAt: d.startedAt ?? null,
  }));
  return list.sort((a, b) => Number(b.kind === 'transactional') - Number(a.kind === 'transactional'));
}

/** Ids of deliveries whose pause was requested (the MTA acknowledges it: pause_requested → paused). */
export async function pauseRequested(db: Database, channel: Channel = 'email'): Promise<number[]> {
  const { Delivery } = db.models;
  return (await Delivery.findAll({ attributes: ['id'], where: { channel, state: 'pause_requested' } })).map((d) => d.id);
}

const CLAIM_COLUMNS = 'id, delivery_id, recipient_id, address, email_format, attempts';
const DUE = `status = 'pending' AND delivery_id = $delivery AND (next_attempt_at IS NULL OR next_attempt_at <= $now) AND (lease_owner IS NULL OR lease_expires_at < $now)`;

const CLAIM_SQL: Record<Dialect, string> = {
  // one writer at a time: the subquery's rows cannot be taken meanwhile
  sqlite:
    `UPDATE broad_logs SET lease_owner = $owner, lease_expires_at = $until, updated_at = $now ` +
    `WHERE id IN (SELECT id FROM broad_logs WHERE ${DUE} ORDER BY next_attempt_at, id LIMIT $limit) RETURNING ${CLAIM_COLUMNS};`,
  // rows another MTA has locked are skipped (READPAST), the ones read are kept (UPDLOCK) until the update
  mssql:
    `WITH due AS (SELECT TOP ($limit) * FROM broad_logs WITH (UPDLOCK, READPAST, ROWLOCK) WHERE ${DUE.replace("'pending'", "N'pending'")} ORDER BY next_attempt_at, id) ` +
    `UPDATE due SET lease_owner = $owner, lease_expires_at = $until, updated_at = $now ` +
    `OUTPUT ${CLAIM_COLUMNS.split(', ')
      .map((c) => `inserted.${c}`)
      .join(', ')};`,
  // the same with FOR UPDATE SKIP LOCKED; NULLS FIRST keeps the other dialects' order (new messages first)
  postgres:
    `UPDATE broad_logs SET lease_owner = $owner, lease_expires_at = $until, updated_at = $now ` +
    `WHERE id IN (SELECT id FROM broad_logs WHERE ${DUE} ORDER BY next_attempt_at NULLS FIRST, id LIMIT $limit FOR UPDATE SKIP LOCKED) RETURNING ${CLAIM_COLUMNS};`,
};

/** The claim statement for a dialect (exported for the snapshot tests). */
export function claimSql(dialect: Dialect): string {
  return CLAIM_SQL[dialect];
}

/** Claims up to `limit` due messages of one delivery for `owner` until `until`. */
export async function claimDue(db: Database, input: { deliveryId: number; owner: string; now: Date; until: Date; limit: number }): Promise<ClaimedMessage[]> {
  const bind = {
    delivery: input.deliveryId,
    owner: input.owner,
    now: sqlDate(db.dialect, input.now),
    until: sqlDate(db.dialect, input.until),
    limit: input.limit,
  };
  const rows = await db.write((transaction) =>
    db.sequelize.query<Record<string, unknown>>(claimSql(db.dialect), { bind, transaction, type: QueryTypes.SELECT }),
  );
  return rows.map((r) => ({
    id: Number(r.id),
    deliveryId: Number(r.delivery_id),
    recipientId: r.recipient_id === null ? null : Number(r.recipient_id),
    address: String(r.address),
    emailFormat: r.email_format as EmailFormat,
    attempts: Number(r.attempts),
  }));
}

/** At start: this owner's leases are stale (it crashed or was killed); free them at once. */
export async function releaseLeases(db: Database, owner: string, ids?: readonly number[]): Promise<number> {
  const { BroadLog } = db.models;
  const where = ids ? { leaseOwner: owner, status: 'pending' as const, id: { [Op.in]: ids } } : { leaseOwner: owner, status: 'pending' as const };
  const [count] = await db.write((transaction) => BroadLog.update({ leaseOwner: null, leaseExpiresAt: null }, { where, transaction, silent: true }));
  return count;
}

/**
 * Pushes the leases of `owner`'s messages still in flight to `until` (the MTA's heartbeat): a message
 * waiting longer than the lease for its SMTP answer or its group commit is not claimed by another MTA
 * meanwhile. Returns how many leases were renewed.
 */
export async function renewLeases(db: Database, owner: string, ids: readonly number[], until: Date): Promise<number> {
  const { BroadLog } = db.models;
  let renewed = 0;
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000);
    const [count] = await db.write((transaction) =>
      BroadLog.update({ leaseExpiresAt: until }, { where: { id: { [Op.in]: chunk }, leaseOwner: owner, status: 'pending' }, transaction, silent: true }),
    );
    renewed += count;
  }
  return renewed;
}

/**
 * The ids among `ids` that are still pending and leased to `owner`, locked until the end of the
 * caller's transaction where the dialect can (PostgreSQL: FOR UPDATE, so no claim takes them before
 * the outcome is written; SQLite has one writer; the UPDATEs of settle() repeat the condition).
 */
export async function stillLeased(db: Database, owner: string, ids: readonly number[], transaction: WriteTransaction): Promise<Set<number>> {
  const { BroadLog } = db.models;
  const held = new Set<number>();
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await BroadLog.findAll({
      attributes: ['id'],
      where: { id: { [Op.in]: ids.slice(i, i + 1000) }, leaseOwner: owner, status: 'pending' },
      transaction,
      ...(db.dialect === 'postgres' ? { lock: transaction.LOCK.UPDATE } : {}),
    });
    for (const r of rows) held.add(r.id);
  }
  return held;
}

/** The settled state of one message, written in the next grouped commit. */
export type Settlement =
  | { id: number; deliveryId: number; status: 'sent'; response?: string; address?: string }
  | { id: number; deliveryId: number; status: 'failed' | 'ignored'; type: FailureType; reason: FailureReason; text: string; failureRecorded?: boolean }
  | {
      id: number;
      deliveryId: number;
      status: 'deferred';
      nextAttemptAt: Date;
      type: FailureType;
      reason: FailureReason;
      text: string;
      failureRecorded?: boolean;
      countAttempt: boolean;
    }
  /** Not attempted (rate limit, blocked domain, delivery paused): back to the queue, nothing counted. */
  | { id: number; deliveryId: number; status: 'postponed'; nextAttemptAt: Date | null };

/**
 * Writes a batch of settlements and the delivery counters in the caller's transaction, for the
 * messages still leased to `owner` (see stillLeased: the caller leaves out the others). Each UPDATE
 * repeats the lease condition, so a message settled or claimed by another MTA is never overwritten.
 */
export async function settle(db: Database, owner: string, settlements: readonly Settlement[], now: Date, transaction: WriteTransaction): Promise<void> {
  const { BroadLog } = db.models;
  const sent = settlements.filter((s) => s.status === 'sent');
  for (let i = 0; i < sent.length; i += SENT_CHUNK) await markSent(db, owner, sent.slice(i, i + SENT_CHUNK), now, transaction);
  const mine = { leaseOwner: owner, status: 'pending' as const };
  for (const s of settlements) {
    if (s.status === 'sent') continue;
    if (s.status === 'postponed') {
      await BroadLog.update(
        { nextAttemptAt: s.nextAttemptAt, leaseOwner: null, leaseExpiresAt: null },
        { where: { id: s.id, ...mine }, transaction, silent: true },
      );
      continue;
    }
    // failure type, reason, text and bounce text are already written when the bounce rules recorded the failure
    const failure = s.failureRecorded ? {} : { failureType: s.type, failureReason: s.reason, failureText: s.text };
    const common = { ...failure, leaseOwner: null, leaseExpiresAt: null, smtpResponse: s.text };
    const values =
      s.status === 'deferred'
        ? {
            ...common,
            status: 'pending' as BroadLogStatus,
            nextAttemptAt: s.nextAttemptAt,
            ...(s.countAttempt ? { attempts: sqlValue<number>(literal('attempts + 1')) } : {}),
          }
        : { ...common, status: s.status as BroadLogStatus, nextAttemptAt: null, attempts: sqlValue<number>(literal('attempts + 1')) };
    await BroadLog.update(values, { where: { id: s.id, ...mine }, transaction });
  }
  await countDeliveries(db, settlements, transaction);
}

const SENT_CHUNK = 250;

/**
 * Sent messages still leased to `owner`, one statement per chunk: status, time and attempt, the
 * remote server's final reply (`250 … queued as …`, per message through `CASE id WHEN … THEN …`),
 * and no error left from an earlier attempt (a message accepted on a retry shows no failure).
 */
async function markSent(
  db: Database,
  owner: string,
  rows: ReadonlyArray<Extract<Settlement, { status: 'sent' }>>,
  now: Date,
  transaction: WriteTransaction,
): Promise<void> {
  const q = (name: string) => db.sequelize.getQueryInterface().quoteIdentifier(name);
  const cleared = ['failure_type', 'failure_reason', 'failure_text', 'bounce_text_id', 'lease_owner', 'lease_expires_at', 'next_attempt_at'];
  const sql =
    `UPDATE ${q('broad_logs')} SET ${q('status')} = 'sent', ${q('sent_at')} = ?, ${q('updated_at')} = ?, ${q('attempts')} = ${q('attempts')} + 1, ` +
    cleared.map((c) => `${q(c)} = NULL`).join(', ') +
    `, ${q('smtp_response')} = CASE ${q('id')} ${rows.map(() => 'WHEN ? THEN ?').join(' ')} ELSE ${q('smtp_response')} END ` +
    `WHERE ${q('id')} IN (?) AND ${q('lease_owner')} = ? AND ${q('status')} = ?`;
  const replacements = [now, now, ...rows.flatMap((r) => [r.id, r.response?.slice(0, 1000) ?? null]), rows.map((r) => r.id), owner, 'pending'];
  await db.sequelize.query(sql, { replacements, transaction, type: QueryTypes.UPDATE });
}

async function countDeliveries(db: Database, settlements: readonly Settlement[], transaction: WriteTransaction): Promise<void> {
  const { Delivery } = db.models;
  const counts = new Map<number, { processed: number; sent: number; failed: number }>();
  for (const s of settlements) {
    if (s.status === 'deferred' || s.status === 'postponed') continue;
    const c = counts.get(s.deliveryId) ?? { processed: 0, sent: 0, failed: 0 };
    c.processed++;
    if (s.status === 'sent') c.sent++;
    else c.failed++;
    counts.set(s.deliveryId, c);
  }
  for (const [id, c] of counts) await Delivery.increment(c, { where: { id }, transaction });
}

/** Pending messages of a delivery: all of them, and those due now (the rest wait for a retry). */
export async function pendingCounts(db: Database, deliveryId: number, now: Date): Promise<{ pending: number; due: number }> {
  const { BroadLog } = db.models;
  const pending = await BroadLog.count({ where: { deliveryId, status: 'pending' } });
  if (pending === 0) return { pending, due: 0 };
  const due = await BroadLog.count({ where: { deliveryId, status: 'pending', [Op.or]: [{ nextAttemptAt: null }, { nextAttemptAt: { [Op.lte]: now } }] } });
  return { pending, due };
}

/** The queue at a glance (for the metrics): pending messages of sending deliveries, due now or waiting, and the oldest due one. */
export interface QueueSummary {
  due: number;
  waiting: number;
  /** When the longest-waiting due message became due (its next attempt, else its creation); null when none is due. */
  oldestDueAt: Date | null;
}

export async function queueSummary(db: Database, now: Date): Promise<QueueSummary> {
  const { BroadLog } = db.models;
  const ids = (await sendingDeliveries(db, now)).map((d) => d.id);
  if (ids.length === 0) return { due: 0, waiting: 0, oldestDueAt: null };
  const pending = { deliveryId: { [Op.in]: ids }, status: 'pending' };
  const dueNow = { [Op.or]: [{ nextAttemptAt: null }, { nextAttemptAt: { [Op.lte]: now } }] };
  const [all, due, oldestRetry, oldestNew] = await Promise.all([
    BroadLog.count({ where: pending }),
    BroadLog.count({ where: { ...pending, ...dueNow } }),
    BroadLog.min<Date | string | null, InstanceType<typeof BroadLog>>('nextAttemptAt', { where: { ...pending, nextAttemptAt: { [Op.lte]: now } } }),
    BroadLog.min<Date | string | null, InstanceType<typeof BroadLog>>('createdAt', { where: { ...pending, nextAttemptAt: null } }),
  ]);
  const times = [oldestRetry, oldestNew].filter((t) => t !== null && t !== undefined).map((t) => new Date(t as Date | string));
  const oldestDueAt = times.length ? new Date(Math.min(...times.map((t) => t.getTime()))) : null;
  return { due, waiting: all - due, oldestDueAt };
}
