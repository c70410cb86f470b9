import { Op, type CreationAttributes, type Transaction } from 'sequelize';
import type { EmailFormat } from '../../shared/glossary.js';
import type { Database } from '../connect.js';
import type { Recipient } from '../models/index.js';
import { auditIn, type AuditInput } from './audit.js';
import { registerCustomFields } from './custom-fields.js';

/**
 * Recipient writes of the REST API, each with its audit line: create, update, upsert by address,
 * and the GDPR erase, which wipes the personal data everywhere it is kept but leaves an anonymous
 * row behind, so deliveries, subscriptions and reports keep their counts.
 */

export interface RecipientFields {
  email?: string;
  firstName?: string | null;
  lastName?: string | null;
  emailFormat?: EmailFormat;
  denylisted?: boolean;
  denylistedEmail?: boolean;
  /** IANA zone (canonical) or null. */
  timeZone?: string | null;
  /** ISO 3166-1 alpha-2, upper case, or null. */
  country?: string | null;
  /** ISO 639-1 (one of LANGUAGES) or null. */
  language?: string | null;
  /** Merged into the custom fields; a null value removes that field. */
  fields?: Record<string, string | null>;
}

export type WriteOutcome = { ok: true; id: number; created: boolean } | { ok: false; reason: 'exists' | 'missing' | 'email_taken' };

function values(current: Recipient | null, input: RecipientFields, now: Date): Record<string, unknown> {
  const out: Record<string, unknown> = { updatedAt: now };
  for (const k of ['email', 'firstName', 'lastName', 'emailFormat', 'denylisted', 'denylistedEmail', 'timeZone', 'country', 'language'] as const)
    if (input[k] !== undefined) out[k] = input[k];
  if (input.fields) {
    const merged: Record<string, string> = { ...(current?.fields ?? {}) };
    for (const [k, v] of Object.entries(input.fields))
      if (v === null) delete merged[k];
      else merged[k] = v;
    out.fields = Object.keys(merged).length > 0 ? merged : null;
  }
  return out;
}

async function insert(db: Database, input: RecipientFields & { email: string }, now: Date, transaction: Transaction): Promise<number> {
  const { Recipient } = db.models;
  const created = await Recipient.create(
    { email: input.email, firstName: null, lastName: null, ...values(null, input, now), createdAt: now } as CreationAttributes<Recipient>,
    { transaction },
  );
  return created.id;
}

/** mode create: refuses an existing address; upsert: by address; update: by id (the address may change). */
export async function writeRecipient(
  db: Database,
  mode: 'create' | 'upsert' | 'update',
  input: RecipientFields,
  audit: AuditInput,
  id?: number,
): Promise<WriteOutcome> {
  const { Recipient } = db.models;
  const result = await db.write(async (transaction): Promise<WriteOutcome> => {
    const byEmail = input.email ? await Recipient.findOne({ where: { email: input.email }, transaction }) : null;
    let outcome: WriteOutcome;
    if (mode === 'create' || (mode === 'upsert' && !byEmail)) {
      if (byEmail) return { ok: false, reason: 'exists' };
      outcome = { ok: true, id: await insert(db, input as RecipientFields & { email: string }, audit.at, transaction), created: true };
    } else {
      const current = mode === 'upsert' ? byEmail : await Recipient.findOne({ where: { id: id!, erasedAt: null }, transaction });
      if (!current || current.erasedAt) return { ok: false, reason: 'missing' };
      if (byEmail && byEmail.id !== current.id) return { ok: false, reason: 'email_taken' };
      await current.update(values(current, input, audit.at), { transaction, silent: true });
      outcome = { ok: true, id: current.id, created: false };
    }
    await auditIn(db, transaction, {
      ...audit,
      action: outcome.created ? 'recipient_created' : 'recipient_updated',
      targetType: 'recipient',
      targetId: outcome.id,
      detail: { fields: Object.keys(input) },
    });
    return outcome;
  });
  if (result.ok && input.fields)
    await registerCustomFields(
      db,
      Object.keys(input.fields).filter((k) => input.fields![k] !== null),
      audit.at,
    );
  return result;
}

/**
 * GDPR erase: the address, names and custom fields are wiped from the recipient (which stays, marked
 * erased and opted out, so counts hold), and the address from its messages, exclusions, events,
 * pending signups and quarantine; client addresses and user agents from its tracking. Returns false
 * for an unknown or already erased recipient.
 */
export async function eraseRecipient(db: Database, id: number, audit: AuditInput): Promise<boolean> {
  const { BroadLog, ExclusionLog, Quarantine, Recipient, Signup, Subscription, TrackingLog, TransactionalEvent } = db.models;
  return db.write(async (transaction) => {
    const r = await Recipient.findOne({ where: { id, erasedAt: null }, transaction });
    if (!r) return false;
    const address = r.email;
    const anonymous = `erased-${id}@erased.invalid`;
    const now = audit.at;
    await r.update(
      { email: anonymous, firstName: null, lastName: null, fields: null, denylisted: true, denylistedEmail: true, erasedAt: now, updatedAt: now },
      { transaction, silent: true },
    );
    await BroadLog.update({ address: anonymous, failureText: null, smtpResponse: null }, { where: { recipientId: id }, transaction, silent: true });
    await ExclusionLog.update({ address: anonymous }, { where: { recipientId: id }, transaction });
    await TrackingLog.update({ ip: null, userAgent: null }, { where: { recipientId: id }, transaction });
    // Transactional messages go to an address, not a recipient: found through their events.
    const eventLogs = (
      await TransactionalEvent.findAll({ attributes: ['broadLogId'], where: { email: address, broadLogId: { [Op.ne]: null } }, transaction })
    ).map((e) => e.broadLogId!);
    for (let i = 0; i < eventLogs.length; i += 500) {
      await BroadLog.update(
        { address: anonymous, failureText: null, smtpResponse: null },
        { where: { id: { [Op.in]: eventLogs.slice(i, i + 500) } }, transaction, silent: true },
      );
    }
    await TransactionalEvent.update({ email: anonymous, ctx: null }, { where: { email: address }, transaction });
    await Signup.destroy({ where: { email: address }, transaction });
    await Quarantine.destroy({ where: { address }, transaction });
    await Subscription.update(
      { status: 'unsubscribed', updatedAt: now },
      { where: { recipientId: id, status: { [Op.ne]: 'unsubscribed' } }, transaction, silent: true },
    );
    await auditIn(db, transaction, { ...audit, action: 'recipient_erased', targetType: 'recipient', targetId: id });
    return true;
  });
}

/** A recipient id by address (not erased). */
export async function recipientIdByEmail(db: Database, email: string): Promise<number | undefined> {
  const { Recipient } = db.models;
  return (await Recipient.findOne({ attributes: ['id'], where: { email, erasedAt: null } }))?.id;
}
