import { Op } from 'sequelize';
import type { Database } from '../connect.js';

/**
 * The earliest send time of each pending message of a delivery (its `next_attempt_at`: the MTA
 * claims a message only once it is due), for deliveries sent at a local time of day. Read in
 * keyset pages of the messages with their recipients' time zone and country; written one UPDATE
 * per send time and page.
 */

export interface MessageZoneFacts {
  id: number;
  timeZone: string | null;
  country: string | null;
}

/**
 * A page of a delivery's pending messages after broad log id `after`, with their recipients' zone
 * facts. With `missed`, only the messages never tried whose send time is in [from, until) and that
 * no MTA holds at `now` (what a resumed delivery plans again).
 */
export async function pendingMessageZones(
  db: Database,
  deliveryId: number,
  after: number,
  limit: number,
  missed?: { from: Date; until: Date; now: Date },
): Promise<MessageZoneFacts[]> {
  const { BroadLog, Recipient } = db.models;
  const overdue = missed
    ? {
        attempts: 0,
        nextAttemptAt: { [Op.gte]: missed.from, [Op.lt]: missed.until },
        [Op.or]: [{ leaseExpiresAt: null }, { leaseExpiresAt: { [Op.lt]: missed.now } }],
      }
    : {};
  const logs = await BroadLog.findAll({
    attributes: ['id', 'recipientId'],
    where: { deliveryId, status: 'pending', id: { [Op.gt]: after }, ...overdue },
    order: [['id', 'ASC']],
    limit,
  });
  const ids = [...new Set(logs.map((l) => l.recipientId).filter((id): id is number => id !== null))];
  const recipients = ids.length ? await Recipient.findAll({ attributes: ['id', 'timeZone', 'country'], where: { id: { [Op.in]: ids } } }) : [];
  const byId = new Map(recipients.map((r) => [r.id, r]));
  return logs.map((l) => {
    const r = l.recipientId === null ? undefined : byId.get(l.recipientId);
    return { id: l.id, timeZone: r?.timeZone ?? null, country: r?.country ?? null };
  });
}

/** Sets the earliest send time of pending messages (ids of one delivery). */
export async function setMessagesNotBefore(db: Database, deliveryId: number, ids: readonly number[], at: Date): Promise<void> {
  const { BroadLog } = db.models;
  if (ids.length === 0) return;
  await db.write((transaction) => BroadLog.update({ nextAttemptAt: at }, { where: { deliveryId, status: 'pending', id: { [Op.in]: [...ids] } }, transaction }));
}
