/**
 * Rate pacing with the generic cell rate algorithm (pure): a "theoretical arrival time" (tat)
 * advances by the cost of each message; a reservation fits when it keeps tat within `burstMs` of
 * now. This spreads an hourly quota evenly (stricter than Adobe's twelve 5-minute buckets, which it
 * also satisfies), and its state is one number, so MTA processes can share it in the database.
 */

export interface Reservation {
  ok: boolean;
  /** The new tat when ok; otherwise unchanged. */
  tat: number;
  /** When not ok: milliseconds until the reservation would fit. */
  waitMs: number;
}

/** `intervalMs` per message (3_600_000 / messagesPerHour); reserves `count` messages at `now`. */
export function reserve(tat: number, now: number, count: number, intervalMs: number, burstMs: number): Reservation {
  const start = Math.max(tat, now);
  const next = start + count * intervalMs;
  const allowed = Math.max(burstMs, intervalMs);
  if (next - now <= allowed) return { ok: true, tat: next, waitMs: 0 };
  return { ok: false, tat, waitMs: next - now - allowed };
}

/** How many messages fit at `now` (at most `wanted`): a request is granted in part rather than refused whole. */
export function fitting(tat: number, now: number, wanted: number, intervalMs: number, burstMs: number): number {
  const room = Math.floor((now + Math.max(burstMs, intervalMs) - Math.max(tat, now)) / intervalMs + 1e-9);
  return Math.max(0, Math.min(wanted, room));
}
