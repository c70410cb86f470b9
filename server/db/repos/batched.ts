import { setTimeout as sleep } from 'node:timers/promises';
import { Op, type Model, type ModelStatic, type WhereOptions } from 'sequelize';
import { HeraldError } from '../../shared/errors.js';
import type { Database } from '../connect.js';
import { rawRows } from '../raw-rows.js';

/**
 * Batched deletes and updates that never hold the database for long: each batch is its own short write
 * transaction, followed by a pause so that other processes' writers (which wait on SQLite's file
 * lock, not on this process's queue) get their turn. Two shapes:
 * - purgeByIds: rows are found by reading (no lock) in id order, then deleted by primary key.
 *   For conditions no index serves (a scan under the write lock would block everyone).
 * - purgeLimited: `DELETE … LIMIT n` (SQLite: rowid IN (SELECT … LIMIT n); SQL Server: DELETE TOP(n)).
 *   Only for conditions an index serves, so finding the batch is cheap.
 * updateLimited is purgeLimited's twin for bulk status changes.
 */

export interface PurgeOptions {
  batchSize: number;
  pauseMs: number;
  signal?: AbortSignal;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyModel = ModelStatic<Model<any, any>>;

export class Interrupted extends HeraldError {
  constructor() {
    super('WF_INTERRUPTED', 'interrupted: the workflow server is stopping (the next run continues)');
  }
}

async function between(options: PurgeOptions): Promise<void> {
  if (options.pauseMs > 0) await sleep(options.pauseMs);
  if (options.signal?.aborted) throw new Interrupted();
}

/**
 * Deletes every row of an id-keyed table matching `where`; returns how many. `onBatch` sees the
 * selected columns of each batch after it was deleted (e.g. to remove files the rows pointed to).
 */
export async function purgeByIds(
  db: Database,
  model: AnyModel,
  where: WhereOptions,
  options: PurgeOptions,
  extra: { attributes?: string[]; onBatch?: (rows: Array<Record<string, unknown>>) => Promise<void> } = {},
): Promise<number> {
  let total = 0;
  for (let after = 0; ;) {
    const rows = await rawRows<Record<string, unknown>>(model, {
      attributes: ['id', ...(extra.attributes ?? [])],
      where: { [Op.and]: [where, { id: { [Op.gt]: after } }] },
      order: [['id', 'ASC']],
      limit: options.batchSize,
    });
    if (rows.length === 0) return total;
    const ids = rows.map((r) => Number(r.id));
    total += await db.write((transaction) => model.destroy({ where: { [Op.and]: [where, { id: ids }] }, transaction }));
    await extra.onBatch?.(rows);
    after = ids[ids.length - 1]!;
    await between(options);
  }
}

/** Deletes every row matching an index-served `where`, `batchSize` rows per transaction; returns how many. */
export async function purgeLimited(db: Database, model: AnyModel, where: WhereOptions, options: PurgeOptions): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await db.write((transaction) => model.destroy({ where, limit: options.batchSize, transaction }));
    total += deleted;
    if (deleted < options.batchSize) return total;
    await between(options);
  }
}

/** Updates every row matching an index-served `where`, `batchSize` rows per transaction; returns how many. */
export async function updateLimited(
  db: Database,
  model: AnyModel,
  values: Record<string, unknown>,
  where: WhereOptions,
  options: PurgeOptions,
): Promise<number> {
  let total = 0;
  for (;;) {
    const [updated] = await db.write((transaction) => model.update(values, { where, limit: options.batchSize, transaction, silent: true }));
    total += updated;
    if (updated < options.batchSize) return total;
    await between(options);
  }
}
