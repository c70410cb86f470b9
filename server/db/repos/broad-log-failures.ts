import { Op, QueryTypes, type Transaction } from 'sequelize';
import type { Database } from '../connect.js';
import type { BroadLogStatus, FailureReason, FailureType } from '../../shared/glossary.js';

/** Broad-log reads and failure updates for bounces, shared by the MTA (synchronous) and inMail (asynchronous). */

export interface BroadLogTarget {
  id: number;
  deliveryId: number;
  recipientId: number | null;
  address: string;
  status: BroadLogStatus;
}

const CHUNK = 500;

export async function broadLogsByIds(db: Database, ids: readonly number[], transaction?: Transaction): Promise<Map<number, BroadLogTarget>> {
  const { BroadLog } = db.models;
  const out = new Map<number, BroadLogTarget>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const rows = await BroadLog.findAll({
      attributes: ['id', 'deliveryId', 'recipientId', 'address', 'status'],
      where: { id: { [Op.in]: unique.slice(i, i + CHUNK) } },
      transaction,
    });
    for (const r of rows) out.set(r.id, { id: r.id, deliveryId: r.deliveryId, recipientId: r.recipientId, address: r.address, status: r.status });
  }
  return out;
}

export interface BroadLogFailure {
  id: number;
  /** The new status (failed), or undefined to keep it (ignored failures such as auto-replies). */
  status?: BroadLogStatus;
  failureType: FailureType;
  failureReason: FailureReason;
  failureText: string;
  bounceTextId: number | null;
}

const UPDATE_CHUNK = 250;

/**
 * Writes many failures in one statement per chunk: `SET col = CASE id WHEN … THEN … END` (the same
 * SQL on SQLite and SQL Server), values escaped by Sequelize.
 */
export async function markBroadLogFailures(db: Database, failures: readonly BroadLogFailure[], now: Date, transaction: Transaction): Promise<void> {
  for (let i = 0; i < failures.length; i += UPDATE_CHUNK) await updateChunk(db, failures.slice(i, i + UPDATE_CHUNK), now, transaction);
}

async function updateChunk(db: Database, rows: readonly BroadLogFailure[], now: Date, transaction: Transaction): Promise<void> {
  const { BroadLog } = db.models;
  const { sequelize } = db;
  const q = (name: string) => sequelize.getQueryInterface().quoteIdentifier(name);
  const replacements: unknown[] = [];
  const column = (name: string, pick: (r: BroadLogFailure) => unknown, only: (r: BroadLogFailure) => boolean = () => true) => {
    const set = rows.filter(only);
    if (set.length === 0) return [];
    for (const r of set) replacements.push(r.id, pick(r));
    return [`${q(name)} = CASE ${q('id')} ${set.map(() => 'WHEN ? THEN ?').join(' ')} ELSE ${q(name)} END`];
  };
  const sets = [
    ...column(
      'status',
      (r) => r.status,
      (r) => r.status !== undefined,
    ),
    ...column('failure_type', (r) => r.failureType),
    ...column('failure_reason', (r) => r.failureReason),
    ...column('failure_text', (r) => r.failureText),
    ...column('bounce_text_id', (r) => r.bounceTextId),
  ];
  replacements.push(
    now,
    rows.map((r) => r.id),
  );
  const sql = `UPDATE ${q(BroadLog.getTableName() as string)} SET ${sets.join(', ')}, ${q('updated_at')} = ? WHERE ${q('id')} IN (?)`;
  await sequelize.query(sql, { replacements, transaction, type: QueryTypes.UPDATE });
}

/**
 * Marks messages as complained about (a spam complaint; the status is untouched) and returns, per
 * delivery, how many were marked now — a repeated complaint about the same message counts once.
 */
export async function markComplained(db: Database, ids: readonly number[], now: Date, transaction: Transaction): Promise<Map<number, number>> {
  const { BroadLog } = db.models;
  const unique = [...new Set(ids)];
  const out = new Map<number, number>();
  for (let i = 0; i < unique.length; i += CHUNK) {
    const chunk = unique.slice(i, i + CHUNK);
    const fresh = await BroadLog.findAll({ attributes: ['id', 'deliveryId'], where: { id: { [Op.in]: chunk }, complainedAt: null }, transaction });
    if (fresh.length === 0) continue;
    await BroadLog.update({ complainedAt: now }, { where: { id: { [Op.in]: fresh.map((r) => r.id) }, complainedAt: null }, transaction, silent: true });
    for (const r of fresh) out.set(r.deliveryId, (out.get(r.deliveryId) ?? 0) + 1);
  }
  return out;
}
