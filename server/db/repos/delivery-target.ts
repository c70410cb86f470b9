import { Op, type WhereOptions } from 'sequelize';
import type { Channel, EmailFormat, QuarantineStatus } from '../../shared/glossary.js';
import type { Database } from '../connect.js';
import { rawRows } from '../raw-rows.js';
import type { Condition } from '../filters/recipient-condition.js';
import { customFieldValue, notErased, recipientWhere } from '../filters/recipient-where.js';
import { expandSegments } from './segments.js';
import type { Recipient } from '../models/index.js';

/**
 * Reading a delivery's target: keyset pages of recipients (by id, never OFFSET), so memory stays
 * flat and every page is an index range scan at any depth; plus the quarantine statuses of a page's
 * addresses and the recipient data used for personalization.
 */

export type TargetQuery =
  { kind: 'all'; filter?: Condition } | { kind: 'service'; serviceId: number; filter?: Condition } | { kind: 'list'; listId: number; filter?: Condition };

export interface TargetRow {
  id: number;
  email: string;
  emailFormat: EmailFormat;
  denylisted: boolean;
  denylistedEmail: boolean;
  mobile: string | null;
  denylistedSms: boolean;
  denylistedPush: boolean;
  fax: string | null;
  denylistedFax: boolean;
  addressLine1: string | null;
  addressLine2: string | null;
  postalCode: string | null;
  city: string | null;
  country: string | null;
  denylistedPostal: boolean;
}

const ATTRIBUTES = [
  'id',
  'email',
  'emailFormat',
  'denylisted',
  'denylistedEmail',
  'mobile',
  'denylistedSms',
  'denylistedPush',
  'fax',
  'denylistedFax',
  'addressLine1',
  'addressLine2',
  'postalCode',
  'city',
  'country',
  'denylistedPostal',
];

const textOrNull = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);

function toRow(r: Record<string, unknown>): TargetRow {
  return {
    id: Number(r.id),
    email: String(r.email ?? ''),
    emailFormat: r.emailFormat === 'text' ? 'text' : 'html',
    denylisted: Boolean(r.denylisted),
    denylistedEmail: Boolean(r.denylistedEmail),
    mobile: typeof r.mobile === 'string' && r.mobile !== '' ? r.mobile : null,
    denylistedSms: Boolean(r.denylistedSms),
    denylistedPush: Boolean(r.denylistedPush),
    fax: textOrNull(r.fax),
    denylistedFax: Boolean(r.denylistedFax),
    addressLine1: textOrNull(r.addressLine1),
    addressLine2: textOrNull(r.addressLine2),
    postalCode: textOrNull(r.postalCode),
    city: textOrNull(r.city),
    country: textOrNull(r.country),
    denylistedPostal: Boolean(r.denylistedPostal),
  };
}

async function recipientsWhere(db: Database, where: WhereOptions<Recipient>, limit?: number): Promise<TargetRow[]> {
  const { Recipient } = db.models;
  const rows = await rawRows<Record<string, unknown>>(Recipient, { attributes: ATTRIBUTES, where, order: [['id', 'ASC']], limit });
  return rows.map(toRow);
}

/** Member ids after `after` (keyset on the membership's primary key or unique index). */
async function memberIds(db: Database, q: Exclude<TargetQuery, { kind: 'all' }>, after: number, limit: number, now: Date): Promise<number[]> {
  const { ListMember, Subscription } = db.models;
  const rows =
    q.kind === 'list'
      ? await rawRows<{ recipientId: number | string }>(ListMember, {
          attributes: ['recipientId'],
          where: { listId: q.listId, recipientId: { [Op.gt]: after } },
          order: [['recipientId', 'ASC']],
          limit,
        })
      : await rawRows<{ recipientId: number | string }>(Subscription, {
          attributes: ['recipientId'],
          where: { serviceId: q.serviceId, status: 'active', recipientId: { [Op.gt]: after }, [Op.or]: [{ expiresAt: null }, { expiresAt: { [Op.gt]: now } }] },
          order: [['recipientId', 'ASC']],
          limit,
        });
  return rows.map((r) => Number(r.recipientId));
}

/** One page of the target after recipient id `after`; `next` is undefined at the end. */
export async function targetPage(
  db: Database,
  q: TargetQuery,
  after: number,
  limit: number,
  now: Date,
): Promise<{ rows: TargetRow[]; next: number | undefined }> {
  const base: WhereOptions<Recipient>[] = [notErased];
  if (q.filter) base.push(recipientWhere(db.sequelize, await expandSegments(db, q.filter), now));
  if (q.kind === 'all') {
    const rows = await recipientsWhere(db, { [Op.and]: [{ id: { [Op.gt]: after } }, ...base] }, limit);
    return { rows, next: rows.length === limit ? rows[rows.length - 1]!.id : undefined };
  }
  const ids = await memberIds(db, q, after, limit, now);
  if (ids.length === 0) return { rows: [], next: undefined };
  const rows = await recipientsWhere(db, { [Op.and]: [{ id: { [Op.in]: ids } }, ...base] });
  return { rows, next: ids.length === limit ? ids[ids.length - 1]! : undefined };
}

/** Quarantine status of the addresses among `addresses` that are quarantined or denylisted on `channel`. */
export async function blockedAddresses(db: Database, addresses: readonly string[], channel: Channel = 'email'): Promise<Map<string, QuarantineStatus>> {
  const { Quarantine } = db.models;
  const out = new Map<string, QuarantineStatus>();
  for (let i = 0; i < addresses.length; i += 1000) {
    const rows = await Quarantine.findAll({
      attributes: ['address', 'status'],
      where: { channel, address: { [Op.in]: addresses.slice(i, i + 1000) }, status: { [Op.in]: ['quarantine', 'denylisted'] } },
      raw: true,
    });
    for (const r of rows) out.set(r.address, r.status);
  }
  return out;
}

/** The custom fields among `names` that no recipient has (a control-rule warning). */
export async function missingCustomFields(db: Database, names: readonly string[]): Promise<string[]> {
  const { Recipient } = db.models;
  const missing: string[] = [];
  for (const name of names) {
    const found = await Recipient.findOne({
      attributes: ['id'],
      where: db.sequelize.where(customFieldValue(db.sequelize, `fields.${name}`), { [Op.not]: null }) as WhereOptions<Recipient>,
      raw: true,
    });
    if (!found) missing.push(name);
  }
  return missing;
}

export interface PersonalizationRow {
  id: number;
  email: string;
  firstName: string | null;
  lastName: string | null;
  emailFormat: EmailFormat;
  fields: Record<string, string> | null;
}

/** The data templates read, for the recipients of a batch of messages. */
export async function personalizationData(db: Database, ids: readonly number[]): Promise<Map<number, PersonalizationRow>> {
  const { Recipient } = db.models;
  const out = new Map<number, PersonalizationRow>();
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await Recipient.findAll({
      attributes: ['id', 'email', 'firstName', 'lastName', 'emailFormat', 'fields'],
      where: { id: { [Op.in]: ids.slice(i, i + 1000) } },
    });
    for (const r of rows)
      out.set(r.id, { id: r.id, email: r.email, firstName: r.firstName, lastName: r.lastName, emailFormat: r.emailFormat, fields: r.fields ?? null });
  }
  return out;
}

/** A recipient by id or email (preview, proofs). */
export async function findRecipient(db: Database, ref: string | number): Promise<PersonalizationRow | undefined> {
  const { Recipient } = db.models;
  const where = typeof ref === 'number' || /^\d+$/.test(ref) ? { id: Number(ref) } : { email: ref.trim().toLowerCase() };
  const r = await Recipient.findOne({ where });
  return r ? { id: r.id, email: r.email, firstName: r.firstName, lastName: r.lastName, emailFormat: r.emailFormat, fields: r.fields ?? null } : undefined;
}

/** The first recipient of a target (default recipient of a preview). */
export async function firstTargetRecipient(db: Database, q: TargetQuery, now: Date): Promise<PersonalizationRow | undefined> {
  for (let after: number | undefined = 0; after !== undefined;) {
    const page: Awaited<ReturnType<typeof targetPage>> = await targetPage(db, q, after, 100, now);
    if (page.rows[0]) return findRecipient(db, page.rows[0].id);
    after = page.next;
  }
  return undefined;
}
