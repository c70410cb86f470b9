import { Op, type Transaction } from 'sequelize';
import { HeraldError } from '../../shared/errors.js';
import { DAY_MS } from '../../shared/duration.js';
import type { Database } from '../connect.js';
import type { Service } from '../models/index.js';
import { chunks } from '../chunks.js';

/**
 * List memberships and subscriptions of many recipients at once (a population: the Update data
 * activity of marketing workflows), written in small transactions and idempotent (running it twice
 * changes nothing more).
 */

const BATCH = 500;

/** Finds a list by name, creating it when absent; returns its id. */
export async function ensureList(db: Database, name: string, label: string, now: Date, expiresAt: Date | null = null): Promise<number> {
  const { List } = db.models;
  const found = await List.findOne({ where: { name } });
  if (found) return found.id;
  return db.write(async (transaction) => {
    const again = await List.findOne({ where: { name }, transaction });
    if (again) return again.id;
    return (await List.create({ name, label, description: null, expiresAt, createdAt: now, updatedAt: now }, { transaction })).id;
  });
}

/** Adds the recipients to the list; returns how many were not members yet. */
export async function addToList(db: Database, listId: number, ids: readonly number[], now: Date): Promise<number> {
  const { ListMember } = db.models;
  let added = 0;
  for (const chunk of chunks(ids, BATCH)) {
    added += await db.write(async (transaction) => {
      const known = await ListMember.findAll({ attributes: ['recipientId'], where: { listId, recipientId: chunk }, transaction, raw: true });
      const seen = new Set(known.map((k) => Number(k.recipientId)));
      const rows = chunk.filter((id) => !seen.has(id)).map((recipientId) => ({ listId, recipientId, createdAt: now }));
      if (rows.length) await ListMember.bulkCreate(rows, { transaction });
      return rows.length;
    });
  }
  return added;
}

export async function removeFromList(db: Database, listName: string, ids: readonly number[]): Promise<number> {
  const { List, ListMember } = db.models;
  const list = await List.findOne({ where: { name: listName } });
  if (!list) return 0;
  let removed = 0;
  for (const chunk of chunks(ids, BATCH))
    removed += await db.write((transaction) => ListMember.destroy({ where: { listId: list.id, recipientId: chunk }, transaction }));
  return removed;
}

async function serviceNamed(db: Database, name: string): Promise<Service> {
  const { Service } = db.models;
  const service = await Service.findOne({ where: { name } });
  if (!service) throw new HeraldError('WF_UNKNOWN_SERVICE', `no service named "${name}"`);
  return service;
}

/** Subscribes the recipients (active at once, origin "workflow" unless told); returns how many were not subscribed. */
export async function subscribeTo(db: Database, serviceName: string, ids: readonly number[], now: Date, origin = 'workflow'): Promise<number> {
  const { Subscription } = db.models;
  const service = await serviceNamed(db, serviceName);
  const expiresAt = service.validityDays ? new Date(now.getTime() + service.validityDays * DAY_MS) : null;
  let changed = 0;
  for (const chunk of chunks(ids, BATCH)) {
    changed += await db.write(async (transaction) => {
      const current = await Subscription.findAll({ where: { serviceId: service.id, recipientId: chunk }, transaction });
      const byRecipient = new Map(current.map((s) => [s.recipientId, s]));
      const fresh = chunk.filter((id) => !byRecipient.has(id));
      const revived = current.filter((s) => s.status !== 'active').map((s) => s.recipientId);
      const values = { status: 'active' as const, origin, confirmedAt: now, expiresAt, updatedAt: now };
      if (fresh.length)
        await Subscription.bulkCreate(
          fresh.map((recipientId) => ({ serviceId: service.id, recipientId, ...values, createdAt: now })),
          { transaction },
        );
      if (revived.length) await Subscription.update(values, { where: { serviceId: service.id, recipientId: revived }, transaction, silent: true });
      await history(db, service.id, [...fresh, ...revived], 'subscribe', now, transaction);
      return fresh.length + revived.length;
    });
  }
  return changed;
}

/** Unsubscribes the recipients; returns how many were subscribed. */
export async function unsubscribeFrom(db: Database, serviceName: string, ids: readonly number[], now: Date): Promise<number> {
  const { Subscription } = db.models;
  const service = await serviceNamed(db, serviceName);
  let changed = 0;
  for (const chunk of chunks(ids, BATCH)) {
    changed += await db.write(async (transaction) => {
      const active = await Subscription.findAll({
        attributes: ['recipientId'],
        where: { serviceId: service.id, recipientId: chunk, status: { [Op.ne]: 'unsubscribed' } },
        transaction,
        raw: true,
      });
      const recipients = active.map((s) => Number(s.recipientId));
      if (recipients.length === 0) return 0;
      await Subscription.update(
        { status: 'unsubscribed', updatedAt: now },
        { where: { serviceId: service.id, recipientId: recipients }, transaction, silent: true },
      );
      await history(db, service.id, recipients, 'unsubscribe', now, transaction);
      return recipients.length;
    });
  }
  return changed;
}

async function history(
  db: Database,
  serviceId: number,
  recipients: readonly number[],
  action: 'subscribe' | 'unsubscribe',
  at: Date,
  transaction: Transaction,
): Promise<void> {
  const { SubscriptionHistory } = db.models;
  if (recipients.length)
    await SubscriptionHistory.bulkCreate(
      recipients.map((recipientId) => ({ serviceId, recipientId, action, origin: 'workflow', at })),
      { transaction },
    );
}
