import { Op } from 'sequelize';
import type { Database } from '../connect.js';

/**
 * Fixed-window hit counters in the database, so every process that serves the public forms counts
 * against the same limit. One write per counted request (forms are low volume; the REST API keeps
 * its own limits in memory).
 */

/** Counts one hit on `key`; returns the hits of the current window (this one included) and when it ends. */
export async function countHit(db: Database, key: string, now: Date, windowMs: number): Promise<{ hits: number; resetsAt: Date }> {
  const { RateLimit } = db.models;
  return db.write(async (transaction) => {
    const row = await RateLimit.findByPk(key, { transaction });
    if (!row || row.windowStart.getTime() + windowMs <= now.getTime()) {
      if (row) await row.update({ windowStart: now, hits: 1, updatedAt: now }, { transaction });
      else await RateLimit.create({ key, windowStart: now, hits: 1, updatedAt: now }, { transaction });
      return { hits: 1, resetsAt: new Date(now.getTime() + windowMs) };
    }
    await row.update({ hits: row.hits + 1, updatedAt: now }, { transaction });
    return { hits: row.hits, resetsAt: new Date(row.windowStart.getTime() + windowMs) };
  });
}

/** Housekeeping: counters untouched since `before`. */
export async function deleteRateLimitsBefore(db: Database, before: Date): Promise<number> {
  const { RateLimit } = db.models;
  return db.write((transaction) => RateLimit.destroy({ where: { updatedAt: { [Op.lt]: before } }, transaction }));
}
