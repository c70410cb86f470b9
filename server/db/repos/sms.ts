import { Op, type Transaction } from 'sequelize';
import type { BroadLogStatus, ReceiptStatus } from '../../shared/glossary.js';
import { groupBy } from '../../shared/group-by.js';
import type { Database } from '../connect.js';
import type { SmsInboundAction } from '../models/index.js';
import { rawRows } from '../raw-rows.js';
import { quarantinesOf, saveQuarantines } from './quarantines.js';

/**
 * The SMS module's rows: the segments an SMSC accepted (their message ids lead receipts back to
 * their broad log), the segments and receipt of each message, mobile-originated messages and the
 * numbers a STOP word unsubscribed. Writes run in the caller's transaction.
 */

const CHUNK = 500;

export interface SubmitRow {
  connector: string;
  messageId: string;
  broadLogId: number;
  deliveryId: number;
  part: number;
}

export async function recordSubmits(db: Database, rows: readonly SubmitRow[], now: Date, transaction: Transaction): Promise<void> {
  const { SmsSubmit } = db.models;
  for (let i = 0; i < rows.length; i += CHUNK)
    await SmsSubmit.bulkCreate(
      rows.slice(i, i + CHUNK).map((r) => ({ ...r, createdAt: now })),
      { transaction },
    );
}

/** Segments per message, one statement per segment count. */
export async function setSegments(db: Database, segments: ReadonlyMap<number, number>, transaction: Transaction): Promise<void> {
  const { BroadLog } = db.models;
  const byCount = groupBy(segments.keys(), (id) => segments.get(id)!);
  for (const [n, ids] of byCount)
    for (let i = 0; i < ids.length; i += CHUNK)
      await BroadLog.update({ segments: n }, { where: { id: { [Op.in]: ids.slice(i, i + CHUNK) } }, transaction, silent: true });
}

export interface SubmittedMessage {
  broadLogId: number;
  deliveryId: number;
  address: string;
  status: BroadLogStatus;
  receiptStatus: ReceiptStatus | null;
}

/** The messages behind the message ids one connector's SMSC named, by message id. */
export async function submittedMessages(
  db: Database,
  connector: string,
  messageIds: readonly string[],
  transaction?: Transaction,
): Promise<Map<string, SubmittedMessage>> {
  const { BroadLog, SmsSubmit } = db.models;
  const out = new Map<string, SubmittedMessage>();
  const unique = [...new Set(messageIds)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const submits = await rawRows<{ messageId: string; broadLogId: number | string }>(SmsSubmit, {
      attributes: ['messageId', 'broadLogId'],
      where: { connector, messageId: { [Op.in]: unique.slice(i, i + CHUNK) } },
      transaction,
    });
    const ids = [...new Set(submits.map((s) => Number(s.broadLogId)))];
    if (!ids.length) continue;
    const logs = await rawRows<{ id: number | string; deliveryId: number; address: string; status: BroadLogStatus; receiptStatus: ReceiptStatus | null }>(
      BroadLog,
      {
        attributes: ['id', 'deliveryId', 'address', 'status', 'receiptStatus'],
        where: { id: { [Op.in]: ids } },
        transaction,
      },
    );
    const byId = new Map(logs.map((l) => [Number(l.id), l]));
    for (const s of submits) {
      const log = byId.get(Number(s.broadLogId));
      if (log)
        out.set(s.messageId, {
          broadLogId: Number(log.id),
          deliveryId: Number(log.deliveryId),
          address: log.address,
          status: log.status,
          receiptStatus: log.receiptStatus ?? null,
        });
    }
  }
  return out;
}

/** Writes what receipts said, one statement per status. */
export async function markReceipts(
  db: Database,
  updates: ReadonlyArray<{ broadLogId: number; status: ReceiptStatus }>,
  now: Date,
  transaction: Transaction,
): Promise<void> {
  const { BroadLog } = db.models;
  const byStatus = groupBy(updates, (u) => u.status);
  for (const [status, group] of byStatus) {
    const ids = group.map((u) => u.broadLogId);
    for (let i = 0; i < ids.length; i += CHUNK)
      await BroadLog.update({ receiptStatus: status, receiptAt: now }, { where: { id: { [Op.in]: ids.slice(i, i + CHUNK) } }, transaction, silent: true });
  }
}

export interface InboundRow {
  connector: string;
  source: string;
  destination: string;
  text: string;
  keyword: string | null;
  action: SmsInboundAction;
  recipients: number;
  receivedAt: Date;
}

export async function insertInbound(db: Database, rows: readonly InboundRow[], transaction: Transaction): Promise<void> {
  const { SmsInbound } = db.models;
  if (rows.length) await SmsInbound.bulkCreate([...rows], { transaction });
}

/**
 * A STOP word: every recipient with this mobile number opts out of SMS, and the number is
 * denylisted on the SMS channel (a proof or a new profile with the number is excluded too).
 * Returns the recipients it changed.
 */
export async function unsubscribeNumber(db: Database, number: string, deliveryId: number | null, now: Date, transaction: Transaction): Promise<number> {
  const { Recipient } = db.models;
  const [count] = await Recipient.update(
    { denylistedSms: true, updatedAt: now },
    { where: { mobile: number, denylistedSms: false }, transaction, silent: true },
  );
  const current = await quarantinesOf(db, [number], transaction, 'sms');
  const before = current.get(number);
  const record = {
    address: number,
    status: 'denylisted' as const,
    errorCount: before?.errorCount ?? 0,
    lastErrorAt: before?.lastErrorAt ?? null,
    failureType: null,
    failureReason: null,
    text: 'STOP received from the number',
    deliveryId,
  };
  await saveQuarantines(db, [record], new Set(current.keys()), now, transaction, 'sms');
  return count;
}

/** The language of the first live recipient with this mobile number that has one (a STOP answer speaks it). */
export async function numberLanguage(db: Database, number: string, transaction: Transaction): Promise<string | null> {
  const row = await db.models.Recipient.findOne({
    where: { mobile: number, erasedAt: null, language: { [Op.ne]: null } },
    attributes: ['language'],
    order: [['id', 'ASC']],
    transaction,
  });
  return row?.language ?? null;
}

/** Messages of a delivery by receipt status (null: no receipt yet), for its report. */
export async function receiptCounts(
  db: Database,
  deliveryId: number,
): Promise<{ byStatus: Partial<Record<ReceiptStatus | 'none', number>>; segments: number }> {
  const { BroadLog } = db.models;
  const rows = await rawRows<{ receiptStatus: ReceiptStatus | null; n: number | string; segments: number | string | null }>(BroadLog, {
    attributes: ['receiptStatus', [db.sequelize.fn('COUNT', db.sequelize.col('id')), 'n'], [db.sequelize.fn('SUM', db.sequelize.col('segments')), 'segments']],
    where: { deliveryId, status: { [Op.in]: ['sent', 'failed'] } },
    group: ['receipt_status'],
  });
  const byStatus: Partial<Record<ReceiptStatus | 'none', number>> = {};
  let segments = 0;
  for (const r of rows) {
    byStatus[r.receiptStatus ?? 'none'] = Number(r.n);
    segments += Number(r.segments ?? 0);
  }
  return { byStatus, segments };
}

/** Mobile-originated messages attributed to a delivery: STOP words and other replies. */
export interface DeliveryReplies {
  stop: number;
  other: number;
}

/**
 * Replies from the numbers a delivery sent to, received after its message reached that number
 * and before `until` (the report's attribution window): counted once per number and kind. A
 * number two deliveries reached counts for both (the reply names no message). Reads the
 * replies of the window first (index on action, received_at), then only this delivery's logs
 * of those numbers.
 */
export async function repliesToDelivery(db: Database, deliveryId: number, from: Date, until: Date): Promise<DeliveryReplies> {
  const { SmsInbound, BroadLog } = db.models;
  const replies = await rawRows<{ source: string; action: SmsInboundAction; receivedAt: Date | string }>(SmsInbound, {
    attributes: ['source', 'action', 'receivedAt'],
    where: { action: { [Op.in]: ['unsubscribed', 'review', 'reviewed'] }, receivedAt: { [Op.gte]: from, [Op.lt]: until } },
  });
  const sentAt = new Map<string, number>();
  const numbers = [...new Set(replies.map((r) => r.source))];
  for (let i = 0; i < numbers.length; i += CHUNK) {
    const logs = await rawRows<{ address: string; sentAt: Date | string }>(BroadLog, {
      attributes: ['address', 'sentAt'],
      where: { deliveryId, address: { [Op.in]: numbers.slice(i, i + CHUNK) }, sentAt: { [Op.ne]: null } },
    });
    for (const l of logs) {
      const at = new Date(l.sentAt).getTime();
      sentAt.set(l.address, Math.min(at, sentAt.get(l.address) ?? at));
    }
  }
  const stop = new Set<string>();
  const other = new Set<string>();
  for (const r of replies) {
    const sent = sentAt.get(r.source);
    if (sent === undefined || new Date(r.receivedAt).getTime() < sent) continue;
    (r.action === 'unsubscribed' ? stop : other).add(r.source);
  }
  return { stop: stop.size, other: other.size };
}
