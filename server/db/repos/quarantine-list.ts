import { Op, type WhereOptions } from 'sequelize';
import type { QuarantineStatus } from '../../shared/glossary.js';
import type { Database } from '../connect.js';
import type { Quarantine } from '../models/index.js';

/** Quarantined and denylisted addresses for the REST API: keyset pages and the manual release. */

export interface QuarantineRow {
  id: number;
  address: string;
  status: QuarantineStatus;
  failureType: string | null;
  failureReason: string | null;
  errorCount: number;
  lastErrorAt: Date | null;
  deliveryId: number | null;
  updatedAt: Date;
}

/** One page in id order after `after` (every status but valid, unless a status is given). */
export async function quarantinePage(db: Database, filter: { status?: QuarantineStatus; after: number; limit: number }): Promise<QuarantineRow[]> {
  const { Quarantine } = db.models;
  const where: WhereOptions<Quarantine> = { id: { [Op.gt]: filter.after }, status: filter.status ?? { [Op.ne]: 'valid' } };
  const rows = await Quarantine.findAll({ where, order: [['id', 'ASC']], limit: filter.limit });
  return rows.map((q) => ({
    id: q.id,
    address: q.address,
    status: q.status,
    failureType: q.failureType ?? null,
    failureReason: q.failureReason ?? null,
    errorCount: q.errorCount,
    lastErrorAt: q.lastErrorAt ?? null,
    deliveryId: q.deliveryId ?? null,
    updatedAt: q.updatedAt,
  }));
}

/** Sets an address back to valid (its errors forgotten); false when it was not quarantined or denylisted. */
export async function releaseAddress(db: Database, address: string, now: Date): Promise<boolean> {
  const { Quarantine } = db.models;
  const [count] = await db.write((transaction) =>
    Quarantine.update(
      { status: 'valid', errorCount: 0, updatedAt: now },
      { where: { address: address.toLowerCase(), status: { [Op.ne]: 'valid' } }, transaction, silent: true },
    ),
  );
  return count > 0;
}
