import { Op } from 'sequelize';
import type { Database } from '../connect.js';
import type { Channel, FailureReason } from '../../shared/glossary.js';
import type { Recipient } from '../models/index.js';
import { eventContexts } from './events.js';
import type { ClaimedMessage } from './mta-queue.js';
import { groupBy } from '../../shared/group-by.js';

/**
 * The recipients of claimed messages, read at send time with one query per kind for a whole batch:
 * their profiles (to personalize with), the event data of transactional messages, and what now
 * blocks a message: an address quarantined or a recipient who unsubscribed after the analysis gets
 * no message (the batch is claimed seconds before it is sent, so a change is honoured within seconds).
 */

export interface BatchData {
  recipients: Map<number, Recipient>;
  /** Context data of the transactional events behind the batch's messages, by broad log id. */
  events: Map<number, Record<string, unknown>>;
  /** Messages that must not go out, with the reason for their broad log. */
  blocked: Map<number, { reason: FailureReason; text: string }>;
}

export async function loadBatch(
  db: Database,
  messages: readonly ClaimedMessage[],
  serviceOf: (deliveryId: number) => number | null,
  transactional: (deliveryId: number) => boolean,
  /** The channel of the messages: its quarantine rows and its opt-out are the ones checked. */
  channel: Channel = 'email',
): Promise<BatchData> {
  const { Quarantine, Recipient } = db.models;
  const recipientIds = [...new Set(messages.map((m) => m.recipientId).filter((id): id is number => id !== null))];
  const addresses = [...new Set(messages.map((m) => m.address))];
  const [recipients, quarantined] = await Promise.all([
    recipientIds.length ? Recipient.findAll({ where: { id: { [Op.in]: recipientIds } } }) : [],
    Quarantine.findAll({
      attributes: ['address', 'status'],
      where: { channel, address: { [Op.in]: addresses }, status: { [Op.in]: ['quarantine', 'denylisted'] } },
    }),
  ]);
  const byId = new Map(recipients.map((r) => [r.id, r]));
  const quarantine = new Map(quarantined.map((q) => [q.address, q.status]));
  const unsubscribed = await unsubscribedPairs(db, messages, serviceOf);
  const eventLogs = messages.filter((m) => transactional(m.deliveryId)).map((m) => m.id);
  const events = eventLogs.length ? await eventContexts(db, eventLogs) : new Map<number, Record<string, unknown>>();
  const blocked = new Map<number, { reason: FailureReason; text: string }>();
  for (const m of messages) {
    const r = m.recipientId === null ? undefined : byId.get(m.recipientId);
    const q = quarantine.get(m.address);
    if (q === 'denylisted') blocked.set(m.id, { reason: 'denylisted', text: 'address denylisted since the analysis' });
    else if (q === 'quarantine') blocked.set(m.id, { reason: 'quarantined', text: 'address quarantined since the analysis' });
    else if (r && (r.denylisted || (channel === 'email' ? r.denylistedEmail : channel === 'sms' ? r.denylistedSms : r.denylistedPush)))
      blocked.set(m.id, { reason: 'denylisted', text: 'recipient opted out since the analysis' });
    else if (m.recipientId !== null && unsubscribed.has(`${serviceOf(m.deliveryId)}:${m.recipientId}`))
      blocked.set(m.id, { reason: 'denylisted', text: 'recipient unsubscribed from the service since the analysis' });
  }
  return { recipients: byId, events, blocked };
}

async function unsubscribedPairs(db: Database, messages: readonly ClaimedMessage[], serviceOf: (deliveryId: number) => number | null): Promise<Set<string>> {
  const { Subscription } = db.models;
  const pairs = messages.flatMap((m) => {
    const serviceId = serviceOf(m.deliveryId);
    return serviceId !== null && m.recipientId !== null ? [{ serviceId, recipientId: m.recipientId }] : [];
  });
  const out = new Set<string>();
  for (const [serviceId, group] of groupBy(pairs, (p) => p.serviceId)) {
    const ids = group.map((p) => p.recipientId);
    const rows = await Subscription.findAll({ attributes: ['recipientId'], where: { serviceId, recipientId: { [Op.in]: ids }, status: 'unsubscribed' } });
    for (const r of rows) out.add(`${serviceId}:${r.recipientId}`);
  }
  return out;
}
