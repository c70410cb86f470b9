import { Op, literal } from 'sequelize';
import type { BroadLogStatus, Channel, ReceiptStatus, RoutedChannel } from '../../shared/glossary.js';
import type { Database, WriteTransaction } from '../connect.js';
import type { RoutingExtraction } from '../models/index.js';
import { rawRows, sqlValue } from '../raw-rows.js';

/**
 * Third-party routing's rows: extraction files and the messages each holds, the recipients'
 * columns they are written from, the messages return files name, and the costs a report shows.
 * Every statement goes through Sequelize's query builder (no dialect-specific SQL).
 */

const CHUNK = 1000;

export interface ExtractionRef {
  id: number;
  deliveryId: number;
  channel: RoutedChannel;
  provider: string;
  fileName: string | null;
  status: RoutingExtraction['status'];
  messages: number;
}

const ref = (e: RoutingExtraction): ExtractionRef => ({
  id: e.id,
  deliveryId: e.deliveryId,
  channel: e.channel,
  provider: e.provider,
  fileName: e.fileName ?? null,
  status: e.status,
  messages: e.messages,
});

/** Extractions of a provider in a status (oldest first): `preparing` ones a crash left, `written` ones to upload. */
export async function extractionsIn(db: Database, provider: string, status: RoutingExtraction['status']): Promise<ExtractionRef[]> {
  const rows = await db.models.RoutingExtraction.findAll({ where: { provider, status }, order: [['id', 'ASC']] });
  return rows.map(ref);
}

export interface ClaimRequest {
  deliveryId: number;
  channel: RoutedChannel;
  provider: string;
  limit: number;
  messageCost: number;
  deliveryCost: number;
  currency: string;
  now: Date;
}

/**
 * Opens an extraction of up to `limit` pending messages of a delivery not yet in one, in one
 * transaction: the extraction row (`preparing`; the cost per delivery on the delivery's first one
 * only) and each message's `extraction_id`. Undefined when no message is left.
 */
export async function openExtraction(db: Database, r: ClaimRequest): Promise<ExtractionRef | undefined> {
  const { BroadLog, RoutingExtraction } = db.models;
  return db.write(async (transaction) => {
    const ids = (
      await rawRows<{ id: number | string }>(BroadLog, {
        attributes: ['id'],
        where: { deliveryId: r.deliveryId, status: 'pending', extractionId: null },
        order: [['id', 'ASC']],
        limit: r.limit,
        transaction,
      })
    ).map((row) => Number(row.id));
    if (ids.length === 0) return undefined;
    const earlier = await RoutingExtraction.count({ where: { deliveryId: r.deliveryId }, transaction });
    const row = await RoutingExtraction.create(
      {
        deliveryId: r.deliveryId,
        channel: r.channel,
        provider: r.provider,
        status: 'preparing',
        messages: ids.length,
        messageCost: r.messageCost,
        deliveryCost: earlier === 0 ? r.deliveryCost : 0,
        currency: r.currency,
        createdAt: r.now,
      },
      { transaction },
    );
    for (let i = 0; i < ids.length; i += CHUNK)
      await BroadLog.update(
        { extractionId: row.id },
        { where: { id: { [Op.in]: ids.slice(i, i + CHUNK) }, status: 'pending', extractionId: null }, transaction, silent: true },
      );
    return ref(row);
  });
}

/** What one line of an extraction file is written from. */
export interface ExtractionLine {
  broadLogId: number;
  deliveryId: number;
  recipientId: number | null;
  address: string;
  recipient: Record<string, unknown> | undefined;
}

const RECIPIENT_COLUMNS = ['id', 'email', 'firstName', 'lastName', 'mobile', 'fax', 'addressLine1', 'addressLine2', 'postalCode', 'city', 'country', 'fields'];

/** The messages of an extraction in document order, with their recipients' columns. */
export async function extractionLines(db: Database, extractionId: number): Promise<ExtractionLine[]> {
  const { BroadLog, Recipient } = db.models;
  const logs = await rawRows<{ id: number | string; deliveryId: number; recipientId: number | null; address: string }>(BroadLog, {
    attributes: ['id', 'deliveryId', 'recipientId', 'address'],
    where: { extractionId },
    order: [['id', 'ASC']],
  });
  const recipientIds = [...new Set(logs.map((l) => l.recipientId).filter((id): id is number => id !== null))];
  const recipients = new Map<number, Record<string, unknown>>();
  for (let i = 0; i < recipientIds.length; i += CHUNK) {
    const rows = await Recipient.findAll({ attributes: RECIPIENT_COLUMNS, where: { id: { [Op.in]: recipientIds.slice(i, i + CHUNK) } } });
    for (const row of rows) recipients.set(row.id, row.get({ plain: true }) as Record<string, unknown>);
  }
  return logs.map((l) => ({
    broadLogId: Number(l.id),
    deliveryId: Number(l.deliveryId),
    recipientId: l.recipientId === null ? null : Number(l.recipientId),
    address: l.address,
    recipient: l.recipientId === null ? undefined : recipients.get(Number(l.recipientId)),
  }));
}

/**
 * The file is in the spool: the extraction's messages still pending become sent (to the provider)
 * and are counted once on their delivery, and the extraction becomes `written`, in one transaction.
 * Both updates are conditional, so completing an extraction again (after a crash) changes nothing.
 */
export async function completeExtraction(db: Database, e: ExtractionRef, fileName: string, now: Date): Promise<number> {
  const { BroadLog, Delivery, RoutingExtraction } = db.models;
  return db.write(async (transaction) => {
    const [moved] = await RoutingExtraction.update({ status: 'written', fileName, writtenAt: now }, { where: { id: e.id, status: 'preparing' }, transaction });
    if (moved === 0) return 0;
    const [sent] = await BroadLog.update(
      { status: 'sent', sentAt: now, attempts: sqlValue<number>(literal('attempts + 1')) },
      { where: { extractionId: e.id, status: 'pending' }, transaction },
    );
    if (sent) await Delivery.increment({ processed: sent, sent }, { where: { id: e.deliveryId }, transaction, silent: true });
    await RoutingExtraction.update({ messages: sent }, { where: { id: e.id }, transaction });
    return sent;
  });
}

export async function markUploaded(db: Database, extractionId: number, now: Date): Promise<void> {
  await db.write((transaction) =>
    db.models.RoutingExtraction.update({ status: 'uploaded', uploadedAt: now, error: null }, { where: { id: extractionId, status: 'written' }, transaction }),
  );
}

export async function noteExtractionError(db: Database, extractionId: number, error: string): Promise<void> {
  await db.write((transaction) => db.models.RoutingExtraction.update({ error: error.slice(0, 1000) }, { where: { id: extractionId }, transaction }));
}

/** A message a return file names, as it stands. */
export interface RoutedMessage {
  broadLogId: number;
  deliveryId: number;
  channel: Channel;
  address: string;
  status: BroadLogStatus;
  receiptStatus: ReceiptStatus | null;
}

/** The routed messages among `ids` that an extraction file held (others are not the provider's to report). */
export async function routedMessages(db: Database, ids: readonly number[]): Promise<Map<number, RoutedMessage>> {
  const { BroadLog, RoutingExtraction } = db.models;
  const out = new Map<number, RoutedMessage>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const logs = await rawRows<{
      id: number | string;
      deliveryId: number;
      address: string;
      status: BroadLogStatus;
      receiptStatus: ReceiptStatus | null;
      extractionId: number;
    }>(BroadLog, {
      attributes: ['id', 'deliveryId', 'address', 'status', 'receiptStatus', 'extractionId'],
      where: { id: { [Op.in]: ids.slice(i, i + CHUNK) }, extractionId: { [Op.ne]: null } },
    });
    if (logs.length === 0) continue;
    const extractions = await RoutingExtraction.findAll({
      attributes: ['id', 'channel'],
      where: { id: { [Op.in]: [...new Set(logs.map((l) => Number(l.extractionId)))] } },
    });
    const channelOf = new Map(extractions.map((e) => [e.id, e.channel]));
    for (const l of logs)
      out.set(Number(l.id), {
        broadLogId: Number(l.id),
        deliveryId: Number(l.deliveryId),
        channel: channelOf.get(Number(l.extractionId)) ?? 'direct_mail',
        address: l.address,
        status: l.status,
        receiptStatus: l.receiptStatus ?? null,
      });
  }
  return out;
}

/** Writes what a return file said of each message (its status and the provider's date), in the caller's transaction. */
export async function markReturned(
  db: Database,
  updates: ReadonlyArray<{ broadLogId: number; status: ReceiptStatus; at: Date }>,
  transaction: WriteTransaction,
): Promise<void> {
  const { BroadLog } = db.models;
  for (const u of updates) await BroadLog.update({ receiptStatus: u.status, receiptAt: u.at }, { where: { id: u.broadLogId }, transaction, silent: true });
}

export interface ReturnJournal {
  provider: string;
  fileName: string;
  rowsRead: number;
  applied: number;
  unchanged: number;
  rejected: number;
  importedAt: Date;
}

export async function journalReturn(db: Database, j: ReturnJournal, transaction: WriteTransaction): Promise<void> {
  await db.models.RoutingReturn.bulkCreate([j], { transaction });
}

/** What a routed delivery cost so far: messages written to extraction files, their cost and the currency. */
export interface RoutingCost {
  messages: number;
  files: number;
  cost: number;
  currency: string;
}

export async function routingCost(db: Database, deliveryId: number): Promise<RoutingCost | undefined> {
  const rows = await db.models.RoutingExtraction.findAll({
    attributes: ['messages', 'messageCost', 'deliveryCost', 'currency', 'status'],
    where: { deliveryId, status: { [Op.ne]: 'preparing' } },
  });
  if (rows.length === 0) return undefined;
  const cost = rows.reduce((sum, r) => sum + r.messages * r.messageCost + r.deliveryCost, 0);
  return { messages: rows.reduce((n, r) => n + r.messages, 0), files: rows.length, cost: Math.round(cost * 10_000) / 10_000, currency: rows[0]!.currency };
}

/** A delivery's label (the deliveryLabel column of an extraction file). */
export async function deliveryLabel(db: Database, deliveryId: number): Promise<string> {
  const d = await db.models.Delivery.findByPk(deliveryId, { attributes: ['label'] });
  return d?.label ?? '';
}
