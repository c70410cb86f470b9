import { hostname } from 'node:os';
import { Op, UniqueConstraintError } from 'sequelize';
import { fitting, reserve } from '../../shared/gcra.js';
import type { Database } from '../connect.js';
import type { MtaThrottle } from '../models/index.js';

/**
 * The MTA's shared pacing state: per throttle key a GCRA arrival time and an error-rate block,
 * updated with compare-and-set so that MTA processes on one or several machines stay within one
 * rate; and the register of live MTA processes, which share each domain's connection limit.
 */

export interface Grant {
  /** Messages granted (0 when the key is blocked or the rate is used up). */
  granted: number;
  /** When nothing was granted: epoch ms at which to try again. */
  retryAtMs: number;
  blockedReason?: string;
}

async function row(db: Database, key: string, now: Date): Promise<MtaThrottle> {
  const { MtaThrottle } = db.models;
  const found = await MtaThrottle.findByPk(key);
  if (found) return found;
  try {
    return await db.write((transaction) => MtaThrottle.create({ key, tatMs: 0, blockedUntilMs: 0, updatedAt: now }, { transaction }));
  } catch (err) {
    if (err instanceof UniqueConstraintError) return (await MtaThrottle.findByPk(key))!;
    throw err;
  }
}

/**
 * Reserves up to `wanted` messages for `key` at `intervalMs` each (0: no rate limit, only the block
 * is checked); asks for fewer when the whole batch does not fit within `burstMs`.
 */
export async function reserveMessages(db: Database, key: string, wanted: number, intervalMs: number, burstMs: number, now: Date): Promise<Grant> {
  const { MtaThrottle } = db.models;
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await row(db, key, now);
    const nowMs = now.getTime();
    if (current.blockedUntilMs > nowMs) return { granted: 0, retryAtMs: current.blockedUntilMs, blockedReason: current.blockReason ?? 'blocked' };
    if (intervalMs <= 0) return { granted: wanted, retryAtMs: 0 };
    const fits = Math.max(1, fitting(current.tatMs, nowMs, wanted, intervalMs, burstMs));
    const r = reserve(current.tatMs, nowMs, fits, intervalMs, burstMs);
    if (!r.ok) return { granted: 0, retryAtMs: nowMs + Math.max(1, Math.ceil(r.waitMs)) };
    const [changed] = await db.write((transaction) =>
      MtaThrottle.update({ tatMs: r.tat, updatedAt: now }, { where: { key, tatMs: current.tatMs }, transaction }),
    );
    if (changed === 1) return { granted: fits, retryAtMs: 0 };
  }
  return { granted: 0, retryAtMs: now.getTime() + 100 };
}

/** Stops sending to a key until `untilMs` (the error-rate block), for every MTA process. */
export async function blockKey(db: Database, key: string, untilMs: number, reason: string, now: Date): Promise<void> {
  const { MtaThrottle } = db.models;
  await row(db, key, now);
  await db.write((transaction) =>
    MtaThrottle.update({ blockedUntilMs: untilMs, blockReason: reason.slice(0, 255), updatedAt: now }, { where: { key }, transaction }),
  );
}

/** Records that this MTA process is alive; returns how many MTA processes are (seen in the last 30 s). */
export async function heartbeat(db: Database, id: string, startedAt: Date, now: Date): Promise<number> {
  const { MtaInstance } = db.models;
  await db.write(async (transaction) => {
    const [changed] = await MtaInstance.update({ lastSeenAt: now, pid: process.pid }, { where: { id }, transaction });
    if (changed === 0) await MtaInstance.create({ id, host: hostname(), pid: process.pid, startedAt, lastSeenAt: now }, { transaction });
  });
  return MtaInstance.count({ where: { lastSeenAt: { [Op.gte]: new Date(now.getTime() - 30_000) } } });
}

export async function unregister(db: Database, id: string): Promise<void> {
  const { MtaInstance } = db.models;
  await db.write((transaction) => MtaInstance.destroy({ where: { id }, transaction }));
}
