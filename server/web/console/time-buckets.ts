/**
 * Folds time-stamped values (5-minute slots) into consecutive buckets (hours, days) with the empty
 * ones filled in, for the charts and tables of the reports. Pure.
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

/**
 * Buckets of `size` ms from the first point's bucket to the last one's. When that would be more
 * than `maxBuckets`, the latest `maxBuckets` are kept (older points are left out).
 */
export function buckets<K extends string>(points: ReadonlyArray<Point<K>>, keys: readonly K[], size: number, maxBuckets: number): Array<Bucket<K>> {
  if (points.length === 0) return [];
  const floor = (t: number) => Math.floor(t / size) * size;
  const times = points.map((p) => p.at.getTime());
  const last = floor(Math.max(...times));
  const first = Math.max(floor(Math.min(...times)), last - (maxBuckets - 1) * size);
  const zero = () => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  const out: Array<Bucket<K>> = [];
  for (let t = first; t <= last; t += size) out.push({ start: new Date(t), values: zero() });
  for (const p of points) {
    const index = (floor(p.at.getTime()) - first) / size;
    if (index < 0) continue;
    for (const k of keys) out[index]!.values[k] += p.values[k] ?? 0;
  }
  return out;
}

/** Hourly buckets when they fit in `maxHours`, daily ones otherwise. */
export function hourlyOrDaily<K extends string>(
  points: ReadonlyArray<Point<K>>,
  keys: readonly K[],
  maxHours = 96,
): { size: 'hour' | 'day'; rows: Array<Bucket<K>> } {
  if (points.length === 0) return { size: 'hour', rows: [] };
  const times = points.map((p) => p.at.getTime());
  const span = Math.max(...times) - Math.min(...times);
  return span < maxHours * HOUR_MS
    ? { size: 'hour', rows: buckets(points, keys, HOUR_MS, maxHours) }
    : { size: 'day', rows: buckets(points, keys, DAY_MS, 370) };
}

/** A bucket's label on a chart axis: `MM-DD HH:00` for hours, `YYYY-MM-DD` for days (UTC). */
export function bucketLabel(start: Date, size: 'hour' | 'day'): string {
  const iso = start.toISOString();
  return size === 'hour' ? `${iso.slice(5, 10)} ${iso.slice(11, 13)}:00` : iso.slice(0, 10);
}

/** A short axis label: `HH:00` for hours (`MM-DD` at midnight), `MM-DD` for days (UTC). */
export function axisLabel(start: Date, size: 'hour' | 'day'): string {
  const iso = start.toISOString();
  return size === 'hour' && iso.slice(11, 13) !== '00' ? `${iso.slice(11, 13)}:00` : iso.slice(5, 10);
}
