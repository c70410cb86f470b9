import { hostname } from 'node:os';
import { literal, Op, UniqueConstraintError, type Transaction } from 'sequelize';
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
    MtaThrottle.update(
      { blockedUntilMs: untilMs, blockedAtMs: now.getTime(), blockReason: reason.slice(0, 255), updatedAt: now },
      { where: { key }, transaction },
    ),
  );
}

export interface DomainBlock {
  /** The throttle key, `domain:<name>` (or `rule:<pattern>` for a shared rule). */
  key: string;
  domain: string;
  untilMs: number;
  /** When the block began (epoch ms; 0 when unknown). */
  sinceMs: number;
  reason: string;
}

const blockOf = (r: MtaThrottle): DomainBlock => ({
  key: r.key,
  domain: r.key.replace(/^domain:/, ''),
  untilMs: Number(r.blockedUntilMs),
  sinceMs: Number(r.blockedAtMs ?? 0),
  reason: r.blockReason ?? 'blocked',
});

/** The blocks in force at `now`, by key. */
export async function activeBlocks(db: Database, now: Date): Promise<Map<string, DomainBlock>> {
  const { MtaThrottle } = db.models;
  const rows = await MtaThrottle.findAll({ where: { blockedUntilMs: { [Op.gt]: now.getTime() } }, order: [['key', 'ASC']] });
  return new Map(rows.map((r) => [r.key, blockOf(r)]));
}

/** Keys an operator unblocked since `since`: the error rate of the window before does not block them again. */
export async function recentUnblocks(db: Database, since: Date): Promise<Set<string>> {
  const { MtaThrottle } = db.models;
  const rows = await MtaThrottle.findAll({ attributes: ['key'], where: { unblockedAtMs: { [Op.gt]: since.getTime() } } });
  return new Set(rows.map((r) => r.key));
}

/**
 * Makes the pending messages of a domain that wait for a later time due now (those a block pushed
 * back; retries of the domain's deferred messages come forward too, which is harmless).
 */
export async function rescheduleDomain(db: Database, domain: string, now: Date, transaction?: Transaction): Promise<number> {
  const { BroadLog } = db.models;
  const pattern = `%@${domain.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}`;
  // Addresses keep the case they were given: LIKE ignores it on SQLite and SQL Server's default
  // collation, PostgreSQL needs ILIKE.
  const like = db.dialect === 'postgres' ? Op.iLike : Op.like;
  const run = async (t: Transaction) => {
    const [count] = await BroadLog.update(
      { nextAttemptAt: now },
      {
        where: { status: 'pending', nextAttemptAt: { [Op.gt]: now }, address: { [like]: literal(`${db.sequelize.escape(pattern)} ESCAPE '\\'`) as never } },
        transaction: t,
        silent: true,
      },
    );
    return count;
  };
  return transaction ? run(transaction) : db.write(run);
}

/**
 * Lifts the block of a domain for every MTA, in one transaction with its audit line: the block is
 * cleared and the domain's pending messages that were pushed back wait no longer. Returns the block
 * lifted (undefined when the domain was not blocked) and the messages made due again.
 */
export async function unblockDomain(
  db: Database,
  domain: string,
  now: Date,
  audit?: (transaction: Transaction, block: DomainBlock, rescheduled: number) => Promise<void>,
): Promise<{ block?: DomainBlock; rescheduled: number }> {
  const { MtaThrottle } = db.models;
  const key = `domain:${domain.toLowerCase()}`;
  return db.write(async (transaction) => {
    const found = await MtaThrottle.findOne({ where: { key, blockedUntilMs: { [Op.gt]: now.getTime() } }, transaction });
    if (!found) return { rescheduled: 0 };
    const block = blockOf(found);
    await MtaThrottle.update({ blockedUntilMs: 0, blockReason: null, unblockedAtMs: now.getTime(), updatedAt: now }, { where: { key }, transaction });
    const rescheduled = await rescheduleDomain(db, domain, now, transaction);
    await audit?.(transaction, block, rescheduled);
    return { block, rescheduled };
  });
}

/** An MTA process registered under an owner name: where it runs and when it last said it was alive. */
export interface RegisteredMta {
  host: string;
  pid: number;
  lastSeenAt: Date;
}

export async function registeredMta(db: Database, id: string): Promise<RegisteredMta | undefined> {
  const { MtaInstance } = db.models;
  const row = await MtaInstance.findByPk(id);
  return row ? { host: row.host, pid: row.pid, lastSeenAt: row.lastSeenAt } : undefined;
}

/**
 * Registers this process under `id`, replacing `previous` (a registration the caller found dead or
 * stale) only if it is still the one registered: false when another process registered meanwhile.
 */
export async function register(db: Database, id: string, previous: RegisteredMta | undefined, startedAt: Date, now: Date): Promise<boolean> {
  const { MtaInstance } = db.models;
  try {
    return await db.write(async (transaction) => {
      if (previous) {
        const gone = await MtaInstance.destroy({ where: { id, host: previous.host, pid: previous.pid }, transaction });
        if (gone === 0) return false;
      }
      await MtaInstance.create({ id, host: hostname(), pid: process.pid, startedAt, lastSeenAt: now }, { transaction });
      return true;
    });
  } catch (err) {
    if (err instanceof UniqueConstraintError) return false;
    throw err;
  }
}

/**
 * Records that this MTA process is alive, in its own registration only; returns how many MTA
 * processes are (seen in the last 30 s) and whether the registration under `id` is still this
 * process's (false: another process took the name, see server/mta/owner-name.ts).
 */
export async function heartbeat(db: Database, id: string, startedAt: Date, now: Date): Promise<{ live: number; ours: boolean }> {
  const { MtaInstance } = db.models;
  const ours = await db.write(async (transaction) => {
    const [changed] = await MtaInstance.update({ lastSeenAt: now }, { where: { id, host: hostname(), pid: process.pid }, transaction });
    if (changed === 1) return true;
    if ((await MtaInstance.count({ where: { id }, transaction })) > 0) return false;
    await MtaInstance.create({ id, host: hostname(), pid: process.pid, startedAt, lastSeenAt: now }, { transaction });
    return true;
  });
  return { live: await MtaInstance.count({ where: { lastSeenAt: { [Op.gte]: new Date(now.getTime() - LIVE_MS) } } }), ours };
}

/** A registration not renewed for this long belongs to a process that is gone. */
export const LIVE_MS = 30_000;

/** Removes this process's registration (never another process's under the same name). */
export async function unregister(db: Database, id: string): Promise<void> {
  const { MtaInstance } = db.models;
  await db.write((transaction) => MtaInstance.destroy({ where: { id, host: hostname(), pid: process.pid }, transaction }));
}
