import type { BroadLogStatus } from './glossary.js';

/**
 * What a message's status adds to its delivery's counters (pure): processed = every message that
 * got an outcome (sent, failed or ignored), sent, failed. Used to recompute the counters from the
 * broad logs (the indicators workflow) and to move them in the transaction that changes a status
 * (an asynchronous bounce turning a sent message into a failed one), so both always agree. Spam
 * complaints are counted apart: the message stays sent.
 */

export interface DeliveryCounts {
  processed: number;
  sent: number;
  failed: number;
}

const NONE: DeliveryCounts = { processed: 0, sent: 0, failed: 0 };

export const COUNTED_AS: Readonly<Record<BroadLogStatus, DeliveryCounts>> = {
  pending: NONE,
  cancelled: NONE,
  sent: { processed: 1, sent: 1, failed: 0 },
  failed: { processed: 1, sent: 0, failed: 1 },
  ignored: { processed: 1, sent: 0, failed: 0 },
};

/** Counters from the number of messages per status. */
export function deliveryCounters(byStatus: Partial<Record<BroadLogStatus, number>>): DeliveryCounts {
  const out = { ...NONE };
  for (const [status, n] of Object.entries(byStatus) as Array<[BroadLogStatus, number]>) {
    const c = COUNTED_AS[status];
    out.processed += c.processed * n;
    out.sent += c.sent * n;
    out.failed += c.failed * n;
  }
  return out;
}

/** How the counters move when one message goes from `from` to `to`. */
export function counterDelta(from: BroadLogStatus, to: BroadLogStatus): DeliveryCounts {
  const a = COUNTED_AS[from];
  const b = COUNTED_AS[to];
  return { processed: b.processed - a.processed, sent: b.sent - a.sent, failed: b.failed - a.failed };
}

/**
 * Gmail's ceiling for the spam complaint rate of a bulk sender (its sender guidelines: stay below
 * 0.3 %, ideally below 0.1 %); reports flag a delivery that reaches it.
 */
export const GMAIL_COMPLAINT_THRESHOLD = 0.003;

/** Spam complaints per message sent (0 when nothing was sent): complaints are not failures. */
export function complaintRate(d: { complaints: number; sent: number }): number {
  return d.sent > 0 ? d.complaints / d.sent : 0;
}
