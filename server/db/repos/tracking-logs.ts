import { col, fn, Op, type Transaction } from 'sequelize';
import type { Database } from '../connect.js';
import { rawRows } from '../raw-rows.js';
import type { TrackingUrlType } from '../../shared/glossary.js';
import { groupBy } from '../../shared/group-by.js';

/**
 * Tracking ingestion: hits pulled from the tracking servers become tracking_logs rows exactly once
 * (unique hit_id), with their bot flags, in the same transaction as the server's checkpoint.
 */

export interface NewTrackingLog {
  hitId: string;
  deliveryId: number;
  broadLogId: number | null;
  recipientId: number | null;
  urlId: number | null;
  urlType: TrackingUrlType;
  loggedAt: Date;
  sourceId: string | null;
  ip: string | null;
  userAgent: string | null;
  bot: string | null;
  server: string;
}

/** An ingested hit, as the bot classification needs it. */
export interface StoredHit {
  id: number;
  hitId: string;
  deliveryId: number;
  broadLogId: number | null;
  urlId: number | null;
  urlType: TrackingUrlType;
  loggedAt: Date;
  userAgent: string | null;
  bot: string | null;
}

export interface BroadLogRef {
  deliveryId: number;
  recipientId: number | null;
  sentAt: Date | null;
}

/** SQL Server takes at most 2100 parameters per statement: id lists go in chunks. */
const CHUNK = 1000;

async function chunked<T, R>(items: readonly T[], run: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(...(await run(items.slice(i, i + CHUNK))));
  return out;
}

export async function readCheckpoint(db: Database, server: string): Promise<string | undefined> {
  const { TrackingCheckpoint } = db.models;
  return (await TrackingCheckpoint.findByPk(server))?.position;
}

export async function saveCheckpoint(db: Database, server: string, position: string, now: Date, transaction: Transaction): Promise<void> {
  const { TrackingCheckpoint } = db.models;
  await TrackingCheckpoint.upsert({ server, position, updatedAt: now }, { transaction });
}

export async function existingHitIds(db: Database, hitIds: readonly string[], transaction: Transaction): Promise<Set<string>> {
  const { TrackingLog } = db.models;
  const rows = await chunked(hitIds, (chunk) => TrackingLog.findAll({ attributes: ['hitId'], where: { hitId: { [Op.in]: chunk } }, transaction }));
  return new Set(rows.map((r) => r.hitId));
}

export async function broadLogRefs(db: Database, ids: readonly number[], transaction: Transaction): Promise<Map<number, BroadLogRef>> {
  const { BroadLog } = db.models;
  const rows = await chunked(ids, (chunk) =>
    BroadLog.findAll({ attributes: ['id', 'deliveryId', 'recipientId', 'sentAt'], where: { id: { [Op.in]: chunk } }, transaction }),
  );
  return new Map(rows.map((r) => [r.id, { deliveryId: r.deliveryId, recipientId: r.recipientId, sentAt: r.sentAt ?? null }]));
}

export async function hitsOfBroadLogs(db: Database, ids: readonly number[], transaction: Transaction): Promise<StoredHit[]> {
  const { TrackingLog } = db.models;
  const attributes = ['id', 'hitId', 'deliveryId', 'broadLogId', 'urlId', 'urlType', 'loggedAt', 'userAgent', 'bot'] as const;
  const rows = await chunked(ids, (chunk) => TrackingLog.findAll({ attributes: [...attributes], where: { broadLogId: { [Op.in]: chunk } }, transaction }));
  return rows.map((r) => ({
    id: r.id,
    hitId: r.hitId,
    deliveryId: r.deliveryId,
    broadLogId: r.broadLogId,
    urlId: r.urlId,
    urlType: r.urlType,
    loggedAt: r.loggedAt,
    userAgent: r.userAgent ?? null,
    bot: r.bot ?? null,
  }));
}

/** How many links (click and opt-out URLs) each delivery has. */
export async function linkCounts(db: Database, deliveryIds: readonly number[], transaction: Transaction): Promise<Map<number, number>> {
  const { TrackingUrl } = db.models;
  const rows = await chunked(deliveryIds, async (chunk) =>
    rawRows<{ deliveryId: number; n: number | string }>(TrackingUrl, {
      attributes: ['deliveryId', [fn('COUNT', col('id')), 'n']],
      where: { deliveryId: { [Op.in]: chunk }, type: { [Op.in]: ['click', 'opt_out'] } },
      group: ['delivery_id'],
      transaction,
    }),
  );
  return new Map(rows.map((r) => [Number(r.deliveryId), Number(r.n)]));
}

export async function insertTrackingLogs(db: Database, rows: readonly NewTrackingLog[], now: Date, transaction: Transaction): Promise<void> {
  const { TrackingLog } = db.models;
  for (let i = 0; i < rows.length; i += CHUNK) {
    await TrackingLog.bulkCreate(
      rows.slice(i, i + CHUNK).map((r) => ({ ...r, createdAt: now })),
      { transaction, validate: false, returning: false },
    );
  }
}

/** Sets the bot flag of earlier hits whose classification changed (one UPDATE per reason). */
export async function setBotFlags(db: Database, changes: ReadonlyArray<{ id: number; bot: string | null }>, transaction: Transaction): Promise<void> {
  const { TrackingLog } = db.models;
  for (const [bot, group] of groupBy(changes, (change) => change.bot))
    await chunked(
      group.map((change) => change.id),
      async (chunk) => (await TrackingLog.update({ bot }, { where: { id: { [Op.in]: chunk } }, transaction }), []),
    );
}
