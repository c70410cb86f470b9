import { col, fn, Op } from 'sequelize';
import type { FailureReason } from '../../shared/glossary.js';
import type { Database } from '../connect.js';
import { rawRows } from '../raw-rows.js';

/** Reads and writes for the automatic quarantine release (the rules are in server/workflows/technical). */

export interface WithErrorsRow {
  id: number;
  address: string;
  failureReason: FailureReason | null;
  lastErrorAt: Date | null;
  createdAt: Date;
}

/** One keyset page of addresses "with errors" (the only status ever released automatically). */
export async function withErrorsAfter(db: Database, afterId: number, limit: number): Promise<WithErrorsRow[]> {
  const { Quarantine } = db.models;
  const rows = await Quarantine.findAll({
    attributes: ['id', 'address', 'failureReason', 'lastErrorAt', 'createdAt'],
    where: { status: 'with_errors', id: { [Op.gt]: afterId } },
    order: [['id', 'ASC']],
    limit,
  });
  return rows.map((q) => ({
    id: q.id,
    address: q.address,
    failureReason: q.failureReason ?? null,
    lastErrorAt: q.lastErrorAt ?? null,
    createdAt: q.createdAt,
  }));
}

/** The latest successful send to each address (through its recipient), for addresses that had one. */
export async function lastSuccessfulSends(db: Database, addresses: readonly string[]): Promise<Map<string, Date>> {
  const { BroadLog, Recipient } = db.models;
  const out = new Map<string, Date>();
  if (addresses.length === 0) return out;
  const recipients = await Recipient.findAll({ attributes: ['id', 'email'], where: { email: addresses as string[] }, raw: true });
  if (recipients.length === 0) return out;
  const emailOf = new Map(recipients.map((r) => [Number(r.id), r.email]));
  const sends = await rawRows<{ recipientId: number; lastSentAt: Date | string | null }>(BroadLog, {
    attributes: ['recipientId', [fn('MAX', col('sent_at')), 'lastSentAt']],
    where: { recipientId: [...emailOf.keys()], status: 'sent' },
    group: ['recipient_id'],
  });
  for (const s of sends) if (s.lastSentAt) out.set(emailOf.get(Number(s.recipientId))!, new Date(s.lastSentAt));
  return out;
}

/** Sets the addresses back to valid (only if still "with errors"); returns how many changed. */
export async function releaseToValid(db: Database, ids: readonly number[], now: Date): Promise<number> {
  const { Quarantine } = db.models;
  if (ids.length === 0) return 0;
  const [count] = await db.write((transaction) =>
    Quarantine.update({ status: 'valid', errorCount: 0, updatedAt: now }, { where: { id: ids as number[], status: 'with_errors' }, transaction, silent: true }),
  );
  return count;
}
