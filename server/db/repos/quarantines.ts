import { Op, type Transaction } from 'sequelize';
import type { Database } from '../connect.js';
import type { Channel, FailureReason, FailureType, QuarantineStatus } from '../../shared/glossary.js';

/**
 * Quarantine rows by channel and address (email addresses in lower case, numbers in E.164), read
 * and written in the caller's transaction. Shared by the MTA, inMail and the SMS module; every
 * function works on one channel (email unless said otherwise).
 */

export interface QuarantineRecord {
  address: string;
  status: QuarantineStatus;
  errorCount: number;
  lastErrorAt: Date | null;
  failureType: FailureType | null;
  failureReason: FailureReason | null;
  text: string | null;
  deliveryId: number | null;
}

const CHUNK = 500;

export async function quarantinesOf(
  db: Database,
  addresses: readonly string[],
  transaction?: Transaction,
  channel: Channel = 'email',
): Promise<Map<string, QuarantineRecord>> {
  const { Quarantine } = db.models;
  const out = new Map<string, QuarantineRecord>();
  const unique = [...new Set(addresses)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const rows = await Quarantine.findAll({ where: { channel, address: { [Op.in]: unique.slice(i, i + CHUNK) } }, transaction });
    for (const r of rows) {
      out.set(r.address, {
        address: r.address,
        status: r.status,
        errorCount: r.errorCount,
        lastErrorAt: r.lastErrorAt ?? null,
        failureType: r.failureType ?? null,
        failureReason: r.failureReason ?? null,
        text: r.text ?? null,
        deliveryId: r.deliveryId ?? null,
      });
    }
  }
  return out;
}

/** The domain of an email address; a number or a subscription is filed under its channel's name. */
const domainOf = (address: string, channel: Channel) => (channel === 'email' ? address.slice(address.lastIndexOf('@') + 1) : channel);

/** Writes new states: updates the addresses that have a row, inserts the others. */
export async function saveQuarantines(
  db: Database,
  records: readonly QuarantineRecord[],
  existing: ReadonlySet<string>,
  now: Date,
  transaction: Transaction,
  channel: Channel = 'email',
): Promise<void> {
  const { Quarantine } = db.models;
  const fresh: QuarantineRecord[] = [];
  for (const record of records) {
    if (!existing.has(record.address)) {
      fresh.push(record);
      continue;
    }
    const { address, ...values } = record;
    await Quarantine.update({ ...values, updatedAt: now }, { where: { address, channel }, transaction, silent: true });
  }
  for (let i = 0; i < fresh.length; i += CHUNK) {
    await Quarantine.bulkCreate(
      fresh.slice(i, i + CHUNK).map((r) => ({ ...r, channel, domain: domainOf(r.address, channel), createdAt: now, updatedAt: now })),
      { transaction },
    );
  }
}

/**
 * Addresses a message was just delivered to: those in one of the `from` statuses (With errors)
 * become Valid with no error counted, in the caller's transaction (one statement per chunk).
 */
export async function releaseDelivered(
  db: Database,
  addresses: readonly string[],
  from: readonly QuarantineStatus[],
  now: Date,
  transaction: Transaction,
  channel: Channel = 'email',
): Promise<number> {
  const { Quarantine } = db.models;
  const unique = [...new Set(addresses.map((a) => a.toLowerCase()))];
  let released = 0;
  for (let i = 0; i < unique.length; i += CHUNK) {
    const [count] = await Quarantine.update(
      { status: 'valid', errorCount: 0, updatedAt: now },
      { where: { channel, status: { [Op.in]: [...from] }, address: { [Op.in]: unique.slice(i, i + CHUNK) } }, transaction, silent: true },
    );
    released += count;
  }
  return released;
}
