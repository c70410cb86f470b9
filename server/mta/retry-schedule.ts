/**
 * When a soft-failed message is tried again (Adobe's retries, pure): a few quick in-session retries
 * (greylisting clears in minutes), then `count` retries `period` apart on the first day, then one a
 * day, always before the validity ends. Long retries get ±10% jitter, derived from the broad log id
 * so the schedule is reproducible, to spread a burst of deferrals.
 */

export interface RetryPolicy {
  quickDelaysSec: readonly number[];
  periodMinutes: number;
  count: number;
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * `failures` counts failed attempts including this one. Returns the next attempt time, or
 * undefined when the message must give up (validity would be over).
 */
export function nextAttemptAt(policy: RetryPolicy, failures: number, now: Date, validityEnd: Date | null, broadLogId: number): Date | undefined {
  let delayMs: number;
  if (failures <= policy.quickDelaysSec.length) delayMs = policy.quickDelaysSec[failures - 1]! * 1000;
  else {
    const long = failures - policy.quickDelaysSec.length;
    delayMs = (long <= policy.count ? policy.periodMinutes * 60_000 : DAY_MS) * (1 + jitter(broadLogId, failures));
  }
  const next = new Date(now.getTime() + Math.round(delayMs));
  return validityEnd && next.getTime() >= validityEnd.getTime() ? undefined : next;
}

/** A reproducible value in [-0.1, 0.1). */
function jitter(id: number, attempt: number): number {
  const h = Math.imul((id ^ (attempt * 0x9e3779b1)) >>> 0, 2654435761) >>> 0;
  return (h / 2 ** 32) * 0.2 - 0.1;
}
