import { Op } from 'sequelize';
import type { Database } from '../connect.js';

export interface ThrottleCount {
  key: string;
  windowStart: Date;
  failures: number;
}

export async function readThrottles(db: Database, keys: readonly string[]): Promise<ThrottleCount[]> {
  const { LoginThrottle } = db.models;
  const rows = await LoginThrottle.findAll({ where: { key: { [Op.in]: [...keys] } } });
  return rows.map((r) => ({ key: r.key, windowStart: r.windowStart, failures: r.failures }));
}

/** Counts one failure on each key; a key whose window has passed starts a new window at `now`. */
export async function recordFailure(db: Database, keys: readonly string[], now: Date, windowMs: number): Promise<void> {
  const { LoginThrottle } = db.models;
  await db.write(async (transaction) => {
    const rows = await LoginThrottle.findAll({ where: { key: { [Op.in]: [...keys] } }, transaction });
    const byKey = new Map(rows.map((r) => [r.key, r]));
    for (const key of keys) {
      const row = byKey.get(key);
      if (!row) await LoginThrottle.create({ key, windowStart: now, failures: 1, updatedAt: now }, { transaction });
      else if (row.windowStart.getTime() + windowMs <= now.getTime()) await row.update({ windowStart: now, failures: 1, updatedAt: now }, { transaction });
      else await row.update({ failures: row.failures + 1, updatedAt: now }, { transaction });
    }
    // Counters of windows long gone are noise: drop them as we go.
    await LoginThrottle.destroy({ where: { updatedAt: { [Op.lt]: new Date(now.getTime() - 2 * windowMs) } }, transaction });
  });
}

export async function clearThrottles(db: Database, keys: readonly string[]): Promise<void> {
  const { LoginThrottle } = db.models;
  await db.write((transaction) => LoginThrottle.destroy({ where: { key: { [Op.in]: [...keys] } }, transaction }));
}
