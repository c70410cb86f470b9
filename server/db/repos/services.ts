import { fn, col, Op, type WhereOptions } from 'sequelize';
import type { SubscriptionStatus } from '../../shared/glossary.js';
import type { Database } from '../connect.js';
import { rawRows } from '../raw-rows.js';
import type { Service } from '../models/index.js';
import { auditIn, type AuditInput } from './audit.js';

export interface ServiceValues {
  name: string;
  label: string;
  description: string | null;
  doubleOptIn: boolean;
  validityDays: number | null;
}

export type StatusCounts = Record<SubscriptionStatus, number>;
const zeroCounts = (): StatusCounts => ({ pending: 0, active: 0, unsubscribed: 0 });

/** Every service with its subscriptions counted by status (one grouped read of the status index). */
export async function servicesWithCounts(db: Database): Promise<Array<{ service: Service; counts: StatusCounts }>> {
  const { Service, Subscription } = db.models;
  const services = await Service.findAll({ order: [['label', 'ASC']] });
  const grouped = await rawRows<{ serviceId: number; status: SubscriptionStatus; n: number | string }>(Subscription, {
    attributes: ['serviceId', 'status', [fn('COUNT', col('*')), 'n']],
    group: ['serviceId', 'status'],
  });
  const counts = new Map<number, StatusCounts>();
  for (const g of grouped) {
    const c = counts.get(Number(g.serviceId)) ?? zeroCounts();
    if (g.status in c) c[g.status] = Number(g.n);
    counts.set(Number(g.serviceId), c);
  }
  return services.map((service) => ({ service, counts: counts.get(service.id) ?? zeroCounts() }));
}

export async function serviceCounts(db: Database, serviceId: number): Promise<StatusCounts> {
  const { Subscription } = db.models;
  const c = zeroCounts();
  for (const status of Object.keys(c) as SubscriptionStatus[]) c[status] = await Subscription.count({ where: { serviceId, status } });
  return c;
}

export function findService(db: Database, id: number): Promise<Service | null> {
  const { Service } = db.models;
  return Service.findByPk(id);
}

export function findServiceNamed(db: Database, name: string): Promise<Service | null> {
  const { Service } = db.models;
  return Service.findOne({ where: { name } });
}

export function createService(db: Database, values: ServiceValues, audit: AuditInput): Promise<Service> {
  const { Service } = db.models;
  return db.write(async (transaction) => {
    const service = await Service.create({ ...values, channel: 'email', createdAt: audit.at, updatedAt: audit.at }, { transaction });
    await auditIn(db, transaction, { ...audit, targetId: service.id });
    return service;
  });
}

export async function updateService(db: Database, id: number, values: ServiceValues, audit: AuditInput): Promise<void> {
  const { Service } = db.models;
  await db.write(async (transaction) => {
    await Service.update(values, { where: { id }, transaction });
    await auditIn(db, transaction, audit);
  });
}

/** Where a history page ended: time and id of its last row. */
export interface HistoryCursor {
  at: Date;
  id: number;
}

/** A page of a service's subscription history, newest first, keyset on (at, id) over the (service_id, at) index. */
export async function serviceHistoryPage(db: Database, serviceId: number, before: HistoryCursor | undefined, limit: number) {
  const { Recipient, SubscriptionHistory } = db.models;
  const where: WhereOptions = before
    ? { serviceId, at: { [Op.lte]: before.at }, [Op.or]: [{ at: { [Op.lt]: before.at } }, { id: { [Op.lt]: before.id } }] }
    : { serviceId };
  const rows = await SubscriptionHistory.findAll({
    where,
    order: [
      ['at', 'DESC'],
      ['id', 'DESC'],
    ],
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const emails = new Map(
    (await Recipient.findAll({ attributes: ['id', 'email'], where: { id: { [Op.in]: [...new Set(page.map((r) => r.recipientId))] } } })).map((r) => [
      r.id,
      r.email,
    ]),
  );
  const last = page[page.length - 1];
  return {
    rows: page.map((r) => ({ id: r.id, at: r.at, action: r.action, origin: r.origin, recipientId: r.recipientId, email: emails.get(r.recipientId) ?? null })),
    next: rows.length > limit && last ? { at: last.at, id: last.id } : undefined,
  };
}

/** Subscribe, unsubscribe and confirm events of a service since a date, counted by action. */
export async function serviceHistoryTotals(db: Database, serviceId: number, since: Date): Promise<Record<string, number>> {
  const { SubscriptionHistory } = db.models;
  const grouped = await rawRows<{ action: string; n: number | string }>(SubscriptionHistory, {
    attributes: ['action', [fn('COUNT', col('*')), 'n']],
    where: { serviceId, at: { [Op.gte]: since } },
    group: ['action'],
  });
  return Object.fromEntries(grouped.map((g) => [g.action, Number(g.n)]));
}

export type SubscriptionChange = 'subscribe' | 'unsubscribe';

/**
 * Subscribes (status active) or unsubscribes a recipient from the console, with the history row
 * and the audit line in one transaction. Returns false when nothing changed.
 */
export async function changeSubscription(
  db: Database,
  input: { serviceId: number; recipientId: number; change: SubscriptionChange; origin: string },
  audit: AuditInput,
): Promise<boolean> {
  const { Subscription, SubscriptionHistory } = db.models;
  const status: SubscriptionStatus = input.change === 'subscribe' ? 'active' : 'unsubscribed';
  const now = audit.at;
  return db.write(async (transaction) => {
    const current = await Subscription.findOne({ where: { serviceId: input.serviceId, recipientId: input.recipientId }, transaction });
    if (current?.status === status || (!current && input.change === 'unsubscribe')) return false;
    if (current)
      await current.update(
        { status, origin: input.origin, confirmedAt: status === 'active' ? now : current.confirmedAt, updatedAt: now },
        { transaction, silent: true },
      );
    else
      await Subscription.create(
        { serviceId: input.serviceId, recipientId: input.recipientId, status, origin: input.origin, confirmedAt: now, createdAt: now, updatedAt: now },
        { transaction },
      );
    await SubscriptionHistory.create(
      { serviceId: input.serviceId, recipientId: input.recipientId, action: input.change, origin: input.origin, at: now },
      { transaction },
    );
    await auditIn(db, transaction, audit);
    return true;
  });
}

/** Every service (id and label), for pickers. */
export function allServices(db: Database): Promise<Service[]> {
  const { Service } = db.models;
  return Service.findAll({ attributes: ['id', 'name', 'label'], order: [['label', 'ASC']] });
}
