import { localDayOf, nextDay, startOfLocalDay, wallClockAt } from '../../shared/time-zones/zone-maths.js';

/**
 * Folds time-stamped values (5-minute slots) into consecutive buckets (hours, days) with the empty
 * ones filled in, for the charts and tables of the reports. Pure. Hours and days are those of a
 * time zone's wall clock (UTC by default): a local day lasts 23 or 25 hours on the nights the
 * clocks change, and a half-hour zone's hours begin at half past in UTC.
 */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export interface Point<K extends string> {
  at: Date;
  values: Partial<Record<K, number>>;
}

export interface Bucket<K extends string> {
  start: Date;
  values: Record<K, number>;
}

export type BucketSize = 'hour' | 'day';

/** Zones' offsets are whole quarter hours: hours and days begin on 15-minute boundaries of UTC. */
const QUARTER_MS = 900_000;

/** Where a bucket of `size` begins, and where the next one does, on the wall clock of `zone`. */
function calendar(size: BucketSize, zone: string): { floor(t: number): number; next(t: number): number } {
  const exact =
    size === 'hour'
      ? (t: number) => t - wallClockAt(new Date(t), zone).minute * 60_000
      : (t: number) => startOfLocalDay(localDayOf(new Date(t), zone), zone).getTime();
  // every instant of one UTC quarter hour is in the same bucket: its start is worked out once per quarter
  const memo = new Map<number, number>();
  const floor = (t: number) => {
    const quarter = Math.floor(t / QUARTER_MS) * QUARTER_MS;
    let start = memo.get(quarter);
    if (start === undefined) memo.set(quarter, (start = exact(quarter)));
    return start;
  };
  return {
    floor,
    next: size === 'hour' ? (t) => t + HOUR_MS : (t) => startOfLocalDay(nextDay(localDayOf(new Date(t), zone)), zone).getTime(),
  };
}

/**
 * Buckets of `size` from the first point's bucket to the last one's. When that would be more
 * than `maxBuckets`, the latest `maxBuckets` are kept (older points are left out).
 */
export function buckets<K extends string>(
  points: ReadonlyArray<Point<K>>,
  keys: readonly K[],
  size: BucketSize,
  maxBuckets: number,
  zone = 'UTC',
): Array<Bucket<K>> {
  if (points.length === 0) return [];
  const cal = calendar(size, zone);
  const times = points.map((p) => p.at.getTime());
  const zero = () => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  let out: Array<Bucket<K>> = [];
  const last = cal.floor(Math.max(...times));
  for (let t = cal.floor(Math.min(...times)); t <= last; t = cal.next(t)) out.push({ start: new Date(t), values: zero() });
  out = out.slice(-maxBuckets);
  const index = new Map(out.map((b, i) => [b.start.getTime(), i]));
  for (const p of points) {
    const i = index.get(cal.floor(p.at.getTime()));
    if (i === undefined) continue;
    for (const k of keys) out[i]!.values[k] += p.values[k] ?? 0;
  }
  return out;
}

/** Hourly buckets when they fit in `maxHours`, daily ones otherwise. */
export function hourlyOrDaily<K extends string>(
  points: ReadonlyArray<Point<K>>,
  keys: readonly K[],
  maxHours = 96,
  zone = 'UTC',
): { size: BucketSize; rows: Array<Bucket<K>> } {
  if (points.length === 0) return { size: 'hour', rows: [] };
  const times = points.map((p) => p.at.getTime());
  const span = Math.max(...times) - Math.min(...times);
  return span < maxHours * HOUR_MS
    ? { size: 'hour', rows: buckets(points, keys, 'hour', maxHours, zone) }
    : { size: 'day', rows: buckets(points, keys, 'day', 370, zone) };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A bucket's label on a chart axis: `MM-DD HH:00` for hours, `YYYY-MM-DD` for days (wall clock of `zone`). */
export function bucketLabel(start: Date, size: BucketSize, zone = 'UTC'): string {
  const w = wallClockAt(start, zone);
  return size === 'hour' ? `${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}` : `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

/** A short axis label: `HH:00` for hours (`MM-DD` at midnight), `MM-DD` for days (wall clock of `zone`). */
export function axisLabel(start: Date, size: BucketSize, zone = 'UTC'): string {
  const w = wallClockAt(start, zone);
  return size === 'hour' && w.hour !== 0 ? `${pad(w.hour)}:${pad(w.minute)}` : `${pad(w.month)}-${pad(w.day)}`;
}
