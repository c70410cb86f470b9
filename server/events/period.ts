/**
 * The month an event's message belongs to (Adobe groups transactional messages in monthly
 * deliveries), and how long that delivery may send. Pure: the time is passed in; months are UTC.
 */

/** `YYYY-MM` of a date, in UTC. */
export function periodOf(now: Date): string {
  return now.toISOString().slice(0, 7);
}

/** The first instant after the month. */
export function periodEnd(period: string): Date {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month, 1));
}

/** A month's delivery sends until the month ends plus `validityDays` (for the retries of late events). */
export function periodValidityEnd(period: string, validityDays: number): Date {
  return new Date(periodEnd(period).getTime() + validityDays * 86_400_000);
}
