import { HeraldError } from '../../shared/errors.js';
import type { Database } from '../connect.js';
import type { Delivery } from '../models/index.js';
import { insertDelivery } from './delivery-state.js';

/**
 * Deliveries created by marketing workflows from a delivery template. The delivery targets a list
 * holding the workflow's population and waits in `targeting_pending` for its analysis.
 */

export function findDeliveryNamed(db: Database, internalName: string): Promise<Delivery | null> {
  const { Delivery } = db.models;
  return Delivery.findOne({ where: { internalName } });
}

/** The template with this internal name; an error naming it when there is none. */
export async function findTemplate(db: Database, internalName: string): Promise<Delivery> {
  const { Delivery } = db.models;
  const template = await Delivery.findOne({ where: { internalName, isTemplate: true } });
  if (!template) throw new HeraldError('WF_UNKNOWN_TEMPLATE', `no delivery template named "${internalName}"`);
  return template;
}

/** The target a workflow delivery carries: the list of its population. */
export function listTarget(listId: number, listName: string): Record<string, unknown> {
  return { type: 'list', listId, list: listName };
}

export interface DeliveryFromTemplate {
  internalName: string;
  label: string;
  template: Delivery;
  listId: number;
  listName: string;
  now: Date;
}

/** Creates the delivery (content and settings copied from the template); returns its id. */
export async function createDeliveryFromTemplate(db: Database, d: DeliveryFromTemplate): Promise<number> {
  const t = d.template;
  const row = await db.write((transaction) =>
    insertDelivery(
      db,
      {
        internalName: d.internalName,
        label: d.label,
        isTemplate: false,
        templateId: t.id,
        kind: t.kind,
        channel: t.channel,
        state: 'targeting_pending',
        subject: t.subject,
        fromName: t.fromName,
        fromAddress: t.fromAddress,
        replyTo: t.replyTo,
        contentFormat: t.contentFormat,
        html: t.html,
        text: t.text,
        headers: t.headers,
        target: listTarget(d.listId, d.listName),
        exclusions: t.exclusions,
        serviceId: t.serviceId,
        trackingEnabled: t.trackingEnabled,
        openTracking: t.openTracking,
        scheduledAt: d.now,
        createdAt: d.now,
        updatedAt: d.now,
      },
      transaction,
    ),
  );
  return row.id;
}
