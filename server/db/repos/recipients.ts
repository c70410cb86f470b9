import { Op, type Transaction } from 'sequelize';
import type { Database } from '../connect.js';
import type { Recipient } from '../models/index.js';
import type { EmailFormat } from '../../shared/glossary.js';
import { registerCustomFields } from './custom-fields.js';

/** The recipient columns an import or the API may write (custom fields go in `fields`). */
export type StandardColumn =
  | 'email'
  | 'firstName'
  | 'lastName'
  | 'emailFormat'
  | 'denylisted'
  | 'denylistedEmail'
  | 'mobile'
  | 'fax'
  | 'addressLine1'
  | 'addressLine2'
  | 'postalCode'
  | 'city'
  | 'country'
  | 'timeZone'
  | 'denylistedSms'
  | 'denylistedPush'
  | 'denylistedPostal'
  | 'denylistedFax'
  | 'language';

/** A recipient as a source gives it: the email, and only the columns the source has. */
export interface RecipientRow {
  email: string;
  firstName?: string | null;
  lastName?: string | null;
  emailFormat?: EmailFormat;
  denylisted?: boolean;
  denylistedEmail?: boolean;
  /** E.164, checked by the source. */
  mobile?: string | null;
  fax?: string | null;
  addressLine1?: string | null;
  addressLine2?: string | null;
  postalCode?: string | null;
  city?: string | null;
  country?: string | null;
  /** An IANA zone in its canonical spelling, checked by the source; null: the country's, else the delivery's. */
  timeZone?: string | null;
  denylistedSms?: boolean;
  denylistedPush?: boolean;
  denylistedPostal?: boolean;
  denylistedFax?: boolean;
  /** ISO 639-1, one of LANGUAGES (checked by the source). */
  language?: string | null;
  fields?: Record<string, string>;
}

const DEFAULTS: Record<Exclude<StandardColumn, 'email'>, unknown> = {
  firstName: null,
  lastName: null,
  emailFormat: 'html',
  denylisted: false,
  denylistedEmail: false,
  mobile: null,
  fax: null,
  addressLine1: null,
  addressLine2: null,
  postalCode: null,
  city: null,
  country: null,
  timeZone: null,
  denylistedSms: false,
  denylistedPush: false,
  denylistedPostal: false,
  denylistedFax: false,
  language: null,
};

export interface UpsertResult {
  inserted: number;
  updated: number;
}

/**
 * Inserts or updates recipients by email in one transaction. Only the columns the source provides
 * are written on existing rows; custom fields are merged into the existing ones. Rows must have
 * distinct emails (the caller keeps the last row of duplicates).
 */
export async function upsertRecipients(
  db: Database,
  rows: readonly RecipientRow[],
  columns: ReadonlySet<StandardColumn>,
  now = new Date(),
): Promise<UpsertResult> {
  const { Recipient } = db.models;
  if (rows.length === 0) return { inserted: 0, updated: 0 };
  const result = await db.write(async (transaction) => {
    const existing = await Recipient.findAll({
      attributes: ['id', 'email', 'fields'],
      where: { email: { [Op.in]: rows.map((r) => r.email) } },
      transaction,
    });
    const byEmail = new Map(existing.map((r) => [r.email, r]));
    const fresh = rows.filter((r) => !byEmail.has(r.email));
    if (fresh.length > 0) await insertRows(db, fresh, now, transaction);
    for (const row of rows) {
      const current = byEmail.get(row.email);
      if (current) await updateRow(db, current, row, columns, now, transaction);
    }
    return { inserted: fresh.length, updated: rows.length - fresh.length };
  });
  await registerCustomFields(
    db,
    rows.flatMap((r) => Object.keys(r.fields ?? {})),
    now,
  );
  return result;
}

async function insertRows(db: Database, rows: readonly RecipientRow[], now: Date, transaction: Transaction): Promise<void> {
  const { Recipient } = db.models;
  const values = rows.map((r) => ({
    email: r.email,
    first_name: r.firstName ?? null,
    last_name: r.lastName ?? null,
    email_format: r.emailFormat ?? 'html',
    fields: r.fields && Object.keys(r.fields).length > 0 ? JSON.stringify(r.fields) : null,
    denylisted: r.denylisted ?? false,
    denylisted_email: r.denylistedEmail ?? false,
    mobile: r.mobile ?? null,
    fax: r.fax ?? null,
    address_line1: r.addressLine1 ?? null,
    address_line2: r.addressLine2 ?? null,
    postal_code: r.postalCode ?? null,
    city: r.city ?? null,
    country: r.country ?? null,
    time_zone: r.timeZone ?? null,
    denylisted_sms: r.denylistedSms ?? false,
    denylisted_push: r.denylistedPush ?? false,
    denylisted_postal: r.denylistedPostal ?? false,
    denylisted_fax: r.denylistedFax ?? false,
    language: r.language ?? null,
    created_at: now,
    updated_at: now,
  }));
  // Typed by the model's attributes, so dates are written in each dialect's format. SQL Server takes
  // at most 1000 rows per INSERT … VALUES.
  const attributes = Object.fromEntries(Object.values(Recipient.getAttributes()).map((a) => [a.field!, a]));
  const qi = db.sequelize.getQueryInterface();
  for (let i = 0; i < values.length; i += 1000) await qi.bulkInsert(Recipient.getTableName() as string, values.slice(i, i + 1000), { transaction }, attributes);
}

async function updateRow(
  db: Database,
  current: Recipient,
  row: RecipientRow,
  columns: ReadonlySet<StandardColumn>,
  now: Date,
  transaction: Transaction,
): Promise<void> {
  const { Recipient } = db.models;
  const values: Record<string, unknown> = { updatedAt: now };
  for (const column of columns) if (column !== 'email') values[column] = row[column] ?? DEFAULTS[column];
  if (row.fields) values.fields = { ...(current.fields ?? {}), ...row.fields };
  await Recipient.update(values, { where: { id: current.id }, transaction, silent: true });
}

/** Ids of the (not erased) recipients with these addresses. */
export async function idsOfEmails(db: Database, emails: readonly string[]): Promise<number[]> {
  const rows = await db.models.Recipient.findAll({ attributes: ['id'], where: { email: { [Op.in]: [...emails] }, erasedAt: null }, raw: true });
  return rows.map((r) => Number(r.id));
}

export type RecipientPageRow = { id: number; email: string; emailFormat: string; fields: Record<string, string> | null } & {
  [K in Exclude<StandardColumn, 'email' | 'emailFormat'>]: Recipient[K];
};

const PAGE_COLUMNS = Object.keys(DEFAULTS) as Array<Exclude<StandardColumn, 'email'>>;

/** One keyset page of recipients in id order: fast at any depth (no OFFSET scan). */
export async function recipientsAfter(db: Database, afterId: number, limit: number): Promise<RecipientPageRow[]> {
  const { Recipient } = db.models;
  const rows = await Recipient.findAll({
    attributes: ['id', 'email', ...PAGE_COLUMNS, 'fields'],
    where: { id: { [Op.gt]: afterId } },
    order: [['id', 'ASC']],
    limit,
  });
  return rows.map((r) => ({
    ...(Object.fromEntries(PAGE_COLUMNS.map((c) => [c, r[c] ?? DEFAULTS[c]])) as Omit<RecipientPageRow, 'id' | 'email' | 'fields'>),
    id: r.id,
    email: r.email,
    fields: r.fields ?? null,
  }));
}

/** Every recipient, streamed in keyset pages (flat memory at millions of rows). */
export async function* allRecipients(db: Database, pageSize = 5000): AsyncGenerator<RecipientPageRow> {
  for (let after = 0; ;) {
    const page = await recipientsAfter(db, after, pageSize);
    if (page.length === 0) return;
    yield* page;
    after = page[page.length - 1]!.id;
  }
}
