import { literal, Op } from 'sequelize';
import type { EmailFormat } from '../../shared/glossary.js';
import type { Database } from '../connect.js';
import type { Quarantine, Recipient } from '../models/index.js';
import { auditIn, type AuditInput } from './audit.js';
import { registerCustomFields } from './custom-fields.js';

/**
 * Everything the console shows about one recipient, each part read through an index on the
 * recipient (or its address); recent rows only, bounded by `limit`.
 */

export function findRecipient(db: Database, id: number): Promise<Recipient | null> {
  const { Recipient } = db.models;
  return Recipient.findByPk(id);
}

export async function recipientSubscriptions(db: Database, recipientId: number) {
  const { Service, Subscription } = db.models;
  const subscriptions = await Subscription.findAll({ where: { recipientId }, order: [['id', 'ASC']] });
  const services = await labelsById(
    Service,
    subscriptions.map((s) => s.serviceId),
  );
  return subscriptions.map((s) => ({
    serviceId: s.serviceId,
    service: services.get(s.serviceId) ?? `#${s.serviceId}`,
    status: s.status,
    origin: s.origin,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  }));
}

export async function recipientLists(db: Database, recipientId: number) {
  const { List, ListMember } = db.models;
  const members = await ListMember.findAll({ where: { recipientId } });
  const lists = await labelsById(
    List,
    members.map((m) => m.listId),
  );
  return members.map((m) => ({ listId: m.listId, list: lists.get(m.listId) ?? `#${m.listId}`, since: m.createdAt }));
}

export async function recipientHistory(db: Database, recipientId: number, limit: number) {
  const { Service, SubscriptionHistory } = db.models;
  const rows = await SubscriptionHistory.findAll({ where: { recipientId }, order: [['id', 'DESC']], limit });
  const services = await labelsById(
    Service,
    rows.map((r) => r.serviceId),
  );
  // Service 0 is leaving all email (the convention of subscription history): no service to name.
  return rows.map((r) => ({
    at: r.at,
    action: r.action,
    origin: r.origin,
    allEmail: r.serviceId === 0,
    service: r.serviceId === 0 ? null : (services.get(r.serviceId) ?? `#${r.serviceId}`),
  }));
}

/**
 * Recent broad logs of the recipient with their delivery labels, newest first (with the remote
 * server's last reply). Proofs are left out: a proof sent "as" a recipient carries that
 * recipient's id only to personalize the seed's copy.
 */
export async function recipientBroadLogs(db: Database, recipientId: number, limit: number) {
  const { BroadLog, Delivery } = db.models;
  const logs = await BroadLog.findAll({
    attributes: ['id', 'deliveryId', 'address', 'status', 'failureType', 'failureReason', 'failureText', 'smtpResponse', 'complainedAt', 'sentAt', 'updatedAt'],
    where: { recipientId, deliveryId: { [Op.notIn]: literal("(SELECT id FROM deliveries WHERE kind = 'proof')") } },
    order: [['id', 'DESC']],
    limit,
  });
  const deliveries = await labelsById(
    Delivery,
    logs.map((l) => l.deliveryId),
  );
  return logs.map((l) => ({ ...l.get({ plain: true }), delivery: deliveries.get(l.deliveryId) ?? `#${l.deliveryId}` }));
}

/** Opens and clicks of the given broad logs (the recipient's), newest first. */
export async function trackingOfBroadLogs(db: Database, broadLogIds: readonly number[], limit: number) {
  const { Delivery, TrackingLog } = db.models;
  if (broadLogIds.length === 0) return [];
  const rows = await TrackingLog.findAll({
    attributes: ['id', 'deliveryId', 'urlType', 'loggedAt', 'bot'],
    where: { broadLogId: { [Op.in]: [...broadLogIds] } },
    order: [['loggedAt', 'DESC']],
    limit,
  });
  const deliveries = await labelsById(
    Delivery,
    rows.map((r) => r.deliveryId),
  );
  return rows.map((r) => ({ type: r.urlType, at: r.loggedAt, bot: r.bot, delivery: deliveries.get(r.deliveryId) ?? `#${r.deliveryId}` }));
}

export function quarantineOf(db: Database, address: string): Promise<Quarantine | null> {
  const { Quarantine } = db.models;
  return Quarantine.findOne({ where: { address: address.toLowerCase() } });
}

type Labelled = { findAll(options: object): Promise<Array<{ get(key: string): unknown }>> };

async function labelsById(model: Labelled, ids: readonly number[]): Promise<Map<number, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await model.findAll({ attributes: ['id', 'label'], where: { id: { [Op.in]: unique } } });
  return new Map(rows.map((r) => [Number(r.get('id')), String(r.get('label'))]));
}

export interface RecipientChanges {
  email: string;
  firstName: string | null;
  lastName: string | null;
  emailFormat: EmailFormat;
  denylisted: boolean;
  denylistedEmail: boolean;
  fields: Record<string, string> | null;
  /** IANA zone (canonical), or null. */
  timeZone: string | null;
  /** ISO 3166-1 alpha-2, upper case, or null. */
  country: string | null;
  /** ISO 639-1 (one of LANGUAGES), or null. */
  language: string | null;
}

/** Saves an edited recipient with its audit line; false when another recipient has that email. */
export async function updateRecipient(db: Database, id: number, changes: RecipientChanges, audit: AuditInput): Promise<boolean> {
  const { Recipient } = db.models;
  const saved = await db.write(async (transaction) => {
    const clash = await Recipient.findOne({ attributes: ['id'], where: { email: changes.email, id: { [Op.ne]: id } }, transaction });
    if (clash) return false;
    await Recipient.update({ ...changes, updatedAt: audit.at }, { where: { id }, transaction, silent: true });
    await auditIn(db, transaction, audit);
    return true;
  });
  if (saved) await registerCustomFields(db, Object.keys(changes.fields ?? {}), audit.at);
  return saved;
}
