import { Op } from 'sequelize';
import type { DeliveryState } from '../../shared/glossary.js';
import type { Database } from '../connect.js';
import type { EventType } from '../models/index.js';
import type { DeliveryValues } from './deliveries.js';
import { insertDelivery, type NewDeliveryValues } from './delivery-state.js';
import type { NewTrackingUrl } from './delivery-urls.js';

/**
 * Event types and their published templates (Message Center): publishing stores a transactional
 * delivery template and bumps the type's version; events of a type go to the delivery opened for
 * its current version and month.
 */

export interface PublishedType {
  id: number;
  name: string;
  label: string;
  templateId: number | null;
  version: number;
  publishedAt: Date | null;
}

const view = (t: EventType): PublishedType => ({
  id: t.id,
  name: t.name,
  label: t.label,
  templateId: t.templateId ?? null,
  version: t.version,
  publishedAt: t.publishedAt ?? null,
});

export async function eventTypesNamed(db: Database, names: readonly string[]): Promise<PublishedType[]> {
  const { EventType } = db.models;
  if (names.length === 0) return [];
  const rows = await EventType.findAll({ where: { name: { [Op.in]: [...names] } } });
  return rows.map(view);
}

export async function listEventTypes(db: Database): Promise<PublishedType[]> {
  const { EventType } = db.models;
  return (await EventType.findAll({ order: [['name', 'ASC']] })).map(view);
}

/**
 * Publishes a template for an event type (created if new): the template is stored as a delivery
 * template of kind transactional, and the type's version goes up, so the next event opens a
 * delivery with this content.
 */
export async function publishEventType(db: Database, input: { name: string; label: string; template: DeliveryValues }, now: Date): Promise<PublishedType> {
  const { EventType } = db.models;
  return db.write(async (transaction) => {
    const template = await insertDelivery(
      db,
      { ...input.template, isTemplate: true, kind: 'transactional', state: 'editing', createdAt: now, updatedAt: now },
      transaction,
    );
    const current = await EventType.findOne({ where: { name: input.name }, transaction });
    if (current) {
      await current.update({ label: input.label, templateId: template.id, version: current.version + 1, publishedAt: now, updatedAt: now }, { transaction });
      return view(current);
    }
    return view(
      await EventType.create(
        { name: input.name, label: input.label, templateId: template.id, version: 1, publishedAt: now, createdAt: now, updatedAt: now },
        { transaction },
      ),
    );
  });
}

/** Withdraws the template of a type: its next events are "not covered". False for an unknown type. */
export async function unpublishEventType(db: Database, name: string, now: Date): Promise<boolean> {
  const { EventType } = db.models;
  const [count] = await db.write((transaction) => EventType.update({ templateId: null, publishedAt: null, updatedAt: now }, { where: { name }, transaction }));
  return count > 0;
}

/** The delivery of a type's version and month that is still in one of `states`, if any (the newest). */
export async function currentEventDelivery(
  db: Database,
  eventTypeId: number,
  version: number,
  period: string,
  states: readonly DeliveryState[],
): Promise<number | undefined> {
  const { Delivery, EventDelivery } = db.models;
  const rows = await EventDelivery.findAll({ attributes: ['deliveryId'], where: { eventTypeId, version, period }, order: [['id', 'DESC']] });
  if (rows.length === 0) return undefined;
  const open = await Delivery.findOne({
    attributes: ['id'],
    where: { id: { [Op.in]: rows.map((r) => r.deliveryId) }, state: { [Op.in]: [...states] } },
    order: [['id', 'DESC']],
  });
  return open?.id;
}

/**
 * Opens the delivery of a type's version and month: the delivery (copied from the template, already
 * in a sending state), its tracking URL rows and the routing row, in one transaction.
 */
export async function openEventDelivery(
  db: Database,
  input: { eventTypeId: number; version: number; period: string; delivery: NewDeliveryValues; urls: readonly NewTrackingUrl[] },
  now: Date,
): Promise<number> {
  const { EventDelivery, TrackingUrl } = db.models;
  return db.write(async (transaction) => {
    const d = await insertDelivery(db, { ...input.delivery, createdAt: now, updatedAt: now }, transaction);
    for (const u of input.urls) await TrackingUrl.create({ deliveryId: d.id, type: u.type, url: u.url, label: u.label, createdAt: now }, { transaction });
    await EventDelivery.create(
      { eventTypeId: input.eventTypeId, version: input.version, period: input.period, deliveryId: d.id, createdAt: now },
      { transaction },
    );
    return d.id;
  });
}
