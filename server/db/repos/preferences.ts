import { Op, type Transaction } from 'sequelize';
import type { EmailFormat, SubscriptionStatus } from '../../shared/glossary.js';
import type { Database } from '../connect.js';
import { unsubscribe, type Unsubscribe } from './subscriptions.js';

/**
 * Recipients' own subscription preferences: the changes they make themselves (links in messages, the preference centre,
 * the double opt-in confirmation). Every change writes its subscription_history row in the same
 * transaction; the history is what reports and webhooks read. Leaving "all email" is recorded as an
 * unsubscribe from service 0 (the same convention as recipient tokens).
 */

/** An unsubscribe through the link of a message: the message it came in, and who posted it. */
export interface LinkUnsubscribe extends Unsubscribe {
  message?: { deliveryId: number; broadLogId: number };
  ip?: string;
  userAgent?: string;
}

/**
 * Applies an unsubscribe at once (the shared rule of server/db/repos/subscriptions.ts, also used by
 * inMail for mailto unsubscribes and complaints); false when nothing changed: repeats, unknown or
 * erased recipients, recipient 0 (proofs). When the link names its message, the opt-out is logged
 * in the same transaction as a tracking log row of type opt_out for that message (once per
 * message), which the delivery's Opt-outs indicator counts.
 */
export async function unsubscribeRecipient(db: Database, request: LinkUnsubscribe, now: Date): Promise<boolean> {
  const { Recipient } = db.models;
  if (request.recipientId <= 0) return false;
  return db.write(async (transaction) => {
    if (!(await Recipient.findOne({ attributes: ['id'], where: { id: request.recipientId, erasedAt: null }, transaction }))) return false;
    const changed = await unsubscribe(
      db,
      { recipientId: request.recipientId, serviceId: request.serviceId, origin: request.origin.slice(0, 32) },
      now,
      transaction,
    );
    if (changed && request.message) await logOptOut(db, transaction, { ...request, message: request.message }, now);
    return changed;
  });
}

async function logOptOut(
  db: Database,
  transaction: Transaction,
  request: LinkUnsubscribe & { message: { deliveryId: number; broadLogId: number } },
  now: Date,
): Promise<void> {
  const { BroadLog, TrackingLog } = db.models;
  const { deliveryId, broadLogId } = request.message;
  const where = { id: broadLogId, deliveryId, recipientId: request.recipientId };
  if (!(await BroadLog.findOne({ attributes: ['id'], where, transaction }))) return;
  const hitId = `optout-${broadLogId}`;
  if (await TrackingLog.findOne({ attributes: ['id'], where: { hitId }, transaction })) return;
  await TrackingLog.create(
    {
      hitId,
      deliveryId,
      broadLogId,
      recipientId: request.recipientId,
      urlId: null,
      urlType: 'opt_out',
      loggedAt: now,
      sourceId: null,
      ip: request.ip?.slice(0, 64) ?? null,
      userAgent: request.userAgent?.slice(0, 512) || null,
      bot: null,
      server: 'web',
      createdAt: now,
    },
    { transaction },
  );
}

/** Whether the recipient already gets nothing a link of this service would stop: 'all' (no email at all), 'service', or undefined. */
export async function unsubscribedFrom(db: Database, recipientId: number, serviceId: number): Promise<'all' | 'service' | undefined> {
  const { Recipient, Subscription } = db.models;
  const r = recipientId > 0 ? await Recipient.findOne({ attributes: ['id', 'denylistedEmail'], where: { id: recipientId, erasedAt: null } }) : null;
  if (!r) return undefined;
  if (r.denylistedEmail) return 'all';
  if (serviceId === 0) return undefined;
  const subscription = await Subscription.findOne({ attributes: ['status'], where: { serviceId, recipientId } });
  return subscription?.status === 'unsubscribed' ? 'service' : undefined;
}

async function history(
  db: Database,
  transaction: Transaction,
  recipientId: number,
  serviceId: number,
  action: 'subscribe' | 'unsubscribe',
  origin: string,
  now: Date,
): Promise<void> {
  const { SubscriptionHistory } = db.models;
  await SubscriptionHistory.create({ recipientId, serviceId, action, origin: origin.slice(0, 32), at: now }, { transaction });
}

/** Subscribes (active at once) or unsubscribes one recipient from one service; false when nothing changed. */
export async function setSubscription(
  db: Database,
  transaction: Transaction,
  recipientId: number,
  serviceId: number,
  subscribed: boolean,
  origin: string,
  now: Date,
): Promise<boolean> {
  const { Subscription } = db.models;
  const current = await Subscription.findOne({ where: { serviceId, recipientId }, transaction });
  const status: SubscriptionStatus = subscribed ? 'active' : 'unsubscribed';
  if (current?.status === status || (!current && !subscribed)) return false;
  if (current)
    await current.update(
      { status, origin: origin.slice(0, 32), confirmedAt: subscribed ? now : current.confirmedAt, updatedAt: now },
      { transaction, silent: true },
    );
  else
    await Subscription.create(
      { serviceId, recipientId, status, origin: origin.slice(0, 32), confirmedAt: now, createdAt: now, updatedAt: now },
      { transaction },
    );
  await history(db, transaction, recipientId, serviceId, subscribed ? 'subscribe' : 'unsubscribe', origin, now);
  return true;
}

export interface PreferencesView {
  email: string;
  firstName: string | null;
  lastName: string | null;
  emailFormat: EmailFormat;
  noEmail: boolean;
  /** Active subscriptions among the services shown. */
  subscribed: Set<number>;
}

/** What the preference centre shows to a recipient (undefined: unknown or erased). */
export async function preferencesOf(db: Database, recipientId: number, serviceIds: readonly number[]): Promise<PreferencesView | undefined> {
  const { Recipient, Subscription } = db.models;
  const r = recipientId > 0 ? await Recipient.findOne({ where: { id: recipientId, erasedAt: null } }) : null;
  if (!r) return undefined;
  const active = await Subscription.findAll({ attributes: ['serviceId'], where: { recipientId, status: 'active', serviceId: { [Op.in]: [...serviceIds] } } });
  return {
    email: r.email,
    firstName: r.firstName,
    lastName: r.lastName,
    emailFormat: r.emailFormat,
    noEmail: r.denylistedEmail,
    subscribed: new Set(active.map((s) => s.serviceId)),
  };
}

export interface PreferencesChange {
  firstName: string | null;
  lastName: string | null;
  emailFormat: EmailFormat;
  noEmail: boolean;
  /** Service id → subscribed, for the services shown. */
  services: ReadonlyMap<number, boolean>;
}

/** Saves the preference centre in one transaction; returns the services joined and left. */
export async function savePreferences(
  db: Database,
  recipientId: number,
  change: PreferencesChange,
  origin: string,
  now: Date,
): Promise<{ subscribed: number; unsubscribed: number } | undefined> {
  const { Recipient, Service } = db.models;
  return db.write(async (transaction) => {
    const r = await Recipient.findOne({ where: { id: recipientId, erasedAt: null }, transaction });
    if (!r) return undefined;
    const optedOut = change.noEmail && !r.denylistedEmail;
    await r.update(
      { firstName: change.firstName, lastName: change.lastName, emailFormat: change.emailFormat, denylistedEmail: change.noEmail, updatedAt: now },
      { transaction, silent: true },
    );
    if (optedOut) await history(db, transaction, recipientId, 0, 'unsubscribe', origin, now);
    const counts = { subscribed: 0, unsubscribed: 0 };
    const known = new Set(
      (await Service.findAll({ attributes: ['id'], where: { id: { [Op.in]: [...change.services.keys()] } }, transaction })).map((s) => s.id),
    );
    for (const [serviceId, on] of change.services) {
      if (known.has(serviceId) && (await setSubscription(db, transaction, recipientId, serviceId, on, origin, now)))
        counts[on ? 'subscribed' : 'unsubscribed']++;
    }
    return counts;
  });
}
