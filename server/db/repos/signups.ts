import { Op } from 'sequelize';
import type { Database } from '../connect.js';
import { setSubscription } from './preferences.js';

/**
 * Double opt-in signups: a subscription request from the public form waits here, touching no
 * recipient, until its confirmation link is used; then the recipient is created (or found by
 * address) and subscribed, in one transaction. A request never changes an existing profile's data
 * before its owner confirms; after, it only fills names the profile lacks.
 */

export interface NewSignup {
  email: string;
  firstName: string | null;
  lastName: string | null;
  serviceIds: number[];
  /** The language the form was answered in (null through the API). */
  language?: string | null;
}

/**
 * Stores a signup unless the address had `maxPerDay` signups (so confirmation mails) in the 24 hours
 * before `now`; the count and the insert share one transaction. Returns the signup id.
 */
export async function createSignup(db: Database, input: NewSignup, now: Date, limits: { maxPerDay: number; expiresAt: Date }): Promise<number | undefined> {
  const { Signup } = db.models;
  return db.write(async (transaction) => {
    const recent = await Signup.count({ where: { email: input.email, createdAt: { [Op.gt]: new Date(now.getTime() - 86_400_000) } }, transaction });
    if (recent >= limits.maxPerDay) return undefined;
    const row = await Signup.create(
      { ...input, serviceIds: JSON.stringify(input.serviceIds), language: input.language ?? null, eventId: null, createdAt: now, expiresAt: limits.expiresAt },
      { transaction },
    );
    return row.id;
  });
}

/** Links the signup to the event of its confirmation mail (to follow up on delivery). */
export async function setSignupEvent(db: Database, id: number, eventId: number): Promise<void> {
  const { Signup } = db.models;
  await db.write((transaction) => Signup.update({ eventId }, { where: { id }, transaction }));
}

export type Confirmation = { outcome: 'confirmed' | 'already'; recipientId: number; serviceIds: number[] } | { outcome: 'invalid' };

/** Uses a confirmation link: the signup's subscriptions become active (a second use changes nothing). */
export async function confirmSignup(db: Database, id: number, now: Date): Promise<Confirmation> {
  const { Recipient, Service, Signup } = db.models;
  return db.write(async (transaction) => {
    const signup = await Signup.findByPk(id, { transaction });
    if (!signup || (!signup.confirmedAt && signup.expiresAt <= now)) return { outcome: 'invalid' };
    const recipient = await Recipient.findOne({ where: { email: signup.email, erasedAt: null }, transaction });
    if (signup.confirmedAt) return recipient ? { outcome: 'already', recipientId: recipient.id, serviceIds: [] } : { outcome: 'invalid' };
    const r =
      recipient ??
      (await Recipient.create(
        {
          email: signup.email,
          firstName: signup.firstName,
          lastName: signup.lastName,
          language: signup.language,
          emailFormat: 'html',
          createdAt: now,
          updatedAt: now,
        },
        { transaction },
      ));
    // The owner confirmed: fill names and the language the profile lacks, and lift an earlier opt-out from all email.
    await r.update(
      {
        firstName: r.firstName ?? signup.firstName,
        lastName: r.lastName ?? signup.lastName,
        language: r.language ?? signup.language,
        denylistedEmail: false,
        updatedAt: now,
      },
      { transaction, silent: true },
    );
    const wanted = JSON.parse(signup.serviceIds) as number[];
    const existing = (await Service.findAll({ attributes: ['id'], where: { id: { [Op.in]: wanted } }, transaction })).map((s) => s.id);
    for (const serviceId of existing) await setSubscription(db, transaction, r.id, serviceId, true, 'form', now);
    await signup.update({ confirmedAt: now }, { transaction });
    return { outcome: 'confirmed', recipientId: r.id, serviceIds: existing };
  });
}

/** Whether a confirmation link was used already (`already`), can still be used (`pending`), or not (`invalid`); reads only. */
export async function signupState(db: Database, id: number, now: Date): Promise<'pending' | 'already' | 'invalid'> {
  const { Recipient, Signup } = db.models;
  const signup = await Signup.findByPk(id);
  if (!signup) return 'invalid';
  if (signup.confirmedAt) return (await Recipient.count({ where: { email: signup.email, erasedAt: null } })) > 0 ? 'already' : 'invalid';
  return signup.expiresAt <= now ? 'invalid' : 'pending';
}

/** Housekeeping: signups whose link expired before `before` (confirmed or not: they served their purpose). */
export async function deleteSignupsBefore(db: Database, before: Date): Promise<number> {
  const { Signup } = db.models;
  return db.write((transaction) => Signup.destroy({ where: { expiresAt: { [Op.lt]: before } }, transaction }));
}
