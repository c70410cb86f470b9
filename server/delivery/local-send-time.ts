import type { Database } from '../db/connect.js';
import { pendingMessageZones, setMessagesNotBefore } from '../db/repos/message-send-times.js';
import { recipientZone } from '../shared/time-zones/country-zones.js';
import { nextLocalTime } from '../shared/time-zones/zone-maths.js';
import { groupBy } from '../shared/group-by.js';

/**
 * A delivery sent "at 09:00 in each recipient's time zone": when it starts, each pending message
 * gets as its earliest send time the first `time` on its recipient's clock at or after the start
 * (`from`: the start, or the delivery's schedule when later). A recipient's clock is their own zone,
 * else their country's, else the delivery's. The MTA claims messages only once they are due, so
 * nothing else changes on the sending side; retries move the time on as usual.
 *
 * A delivery paused over a message's send time would otherwise send it as soon as it resumes, at
 * whatever hour that is on the recipient's clock: on resume (`missedSince`: when it was paused), the
 * messages never tried whose time fell during the pause and passed more than LATE_GRACE_MS ago
 * get the next `time` on their recipient's clock after the resume. Messages already due before
 * the pause (a backlog the MTA was working through) and those only a little late go at once.
 */

/** How late a message may leave after its local time when a delivery resumes, rather than waiting a day. */
export const LATE_GRACE_MS = 15 * 60_000;

const PAGE = 1000;

export interface LocalSendPlan {
  /** Messages given a send time. */
  messages: number;
  /** Messages per send time (ISO instant), for the log. */
  byTime: Record<string, number>;
}

export async function planLocalSendTimes(
  db: Database,
  deliveryId: number,
  time: string,
  deliveryZone: string,
  from: Date,
  options: { missedSince?: Date } = {},
): Promise<LocalSendPlan> {
  const plan: LocalSendPlan = { messages: 0, byTime: {} };
  const sendTimes = new Map<string, Date>();
  const atFor = (zone: string) => {
    let at = sendTimes.get(zone);
    if (!at) sendTimes.set(zone, (at = nextLocalTime(from, time, zone)));
    return at;
  };
  for (let after = 0; ;) {
    const missed = options.missedSince && { from: options.missedSince, until: new Date(from.getTime() - LATE_GRACE_MS), now: from };
    const page = await pendingMessageZones(db, deliveryId, after, PAGE, missed);
    if (page.length === 0) return plan;
    for (const [at, messages] of groupBy(page, (m) => atFor(recipientZone(m, deliveryZone)).getTime())) {
      const ids = messages.map((m) => m.id);
      await setMessagesNotBefore(db, deliveryId, ids, new Date(at));
      const key = new Date(at).toISOString();
      plan.byTime[key] = (plan.byTime[key] ?? 0) + ids.length;
    }
    plan.messages += page.length;
    after = page[page.length - 1]!.id;
  }
}
