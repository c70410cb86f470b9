/**
 * Time-zone arithmetic on IANA zone names, through the runtime's Intl (ICU) database: no table of
 * offsets of our own. Pure: instants in, instants or wall-clock readings out.
 *
 * A wall-clock time that does not exist in a zone (the hour skipped when clocks go forward) is
 * read as the same time after the jump (02:30 on a spring-forward night at 02:00 is 03:30), and a
 * wall-clock time that happens twice (clocks go back) is its first occurrence: the rules of
 * Temporal's `compatible` disambiguation, which are also what cron-like schedulers do.
 */

/** A reading of a wall clock: calendar day and time of day, no zone. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(zone: string): Intl.DateTimeFormat {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formats.set(zone, f);
  }
  return f;
}

/** The zone's canonical spelling when `name` is an IANA time zone the runtime knows, else undefined. */
export function canonicalTimeZone(name: string): string | undefined {
  const trimmed = name.trim();
  // Intl also accepts offsets such as "+01:00": a zone here is a name, so that DST follows it
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(trimmed) || trimmed.length > 64) return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: trimmed }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

export const isTimeZone = (name: string): boolean => canonicalTimeZone(name) !== undefined;

/** What the wall clock of `zone` reads at `instant`. */
export function wallClockAt(instant: Date, zone: string): WallClock {
  const parts: Record<string, string> = {};
  for (const p of formatFor(zone).formatToParts(instant)) parts[p.type] = p.value;
  const year = Number(parts.year);
  return {
    year: parts.era === 'BC' || parts.era === 'B' ? 1 - year : year,
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

const wallAsUtc = (w: WallClock): number => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);

/** The zone's offset from UTC at `instant`, in minutes (Paris in winter: 60; New York in summer: -240; Kathmandu: 345). */
export function offsetMinutes(instant: Date, zone: string): number {
  const ms = Math.floor(instant.getTime() / 1000) * 1000;
  return Math.round((wallAsUtc(wallClockAt(new Date(ms), zone)) - ms) / 60000);
}

const sameWall = (a: WallClock, b: WallClock) =>
  a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute && a.second === b.second;

/** The instant at which the wall clock of `zone` reads `wall` (gaps and overlaps as described above). */
export function instantOf(wall: WallClock, zone: string): Date {
  const asUtc = wallAsUtc(wall);
  const day = 86_400_000;
  // a zone changes its offset at most once within two days: the offsets a day before and a day after bracket it
  const before = offsetMinutes(new Date(asUtc - day), zone);
  const after = offsetMinutes(new Date(asUtc + day), zone);
  const candidates = [...new Set([before, after])]
    .map((offset) => asUtc - offset * 60000)
    .filter((t) => sameWall(wallClockAt(new Date(t), zone), wall))
    .sort((a, b) => a - b);
  if (candidates.length > 0) return new Date(candidates[0]!);
  // in the gap: the offset in force before it carries the reading past the jump
  return new Date(asUtc - before * 60000);
}

/** A calendar day as `YYYY-MM-DD`. */
export type LocalDay = string;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The calendar day `instant` falls on in `zone`. */
export function localDayOf(instant: Date, zone: string): LocalDay {
  const w = wallClockAt(instant, zone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

/** What the wall clock of `zone` reads at `instant`, as `YYYY-MM-DD HH:MM`. */
export function localDateTime(instant: Date, zone: string): string {
  const w = wallClockAt(instant, zone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}`;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** `HH:MM` (24-hour clock) as hours and minutes, or undefined. */
export function parseLocalTime(text: string): { hour: number; minute: number } | undefined {
  const m = TIME.exec(text.trim());
  return m ? { hour: Number(m[1]), minute: Number(m[2]) } : undefined;
}

/** `YYYY-MM-DD` as a calendar day, or undefined (checks the day exists). */
export function parseLocalDay(text: string): { year: number; month: number; day: number } | undefined {
  const m = DAY.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day ? { year, month, day } : undefined;
}

/** The day `n` days after `day` (before it when `n` is negative; calendar arithmetic, no zone). */
export function addDays(day: LocalDay, n: number): LocalDay {
  const d = parseLocalDay(day);
  if (!d) throw new RangeError(`not a day: ${day}`);
  return new Date(Date.UTC(d.year, d.month - 1, d.day + n)).toISOString().slice(0, 10);
}

/** The last `n` calendar days of `zone` up to the one `now` falls on (oldest first), and the instant the first begins. */
export function lastLocalDays(now: Date, zone: string, n: number): { days: LocalDay[]; since: Date } {
  const today = localDayOf(now, zone);
  const days = Array.from({ length: n }, (_, i) => addDays(today, i - n + 1));
  return { days, since: startOfLocalDay(days[0]!, zone) };
}

/** The day after `day` (calendar arithmetic, no zone). */
export const nextDay = (day: LocalDay): LocalDay => addDays(day, 1);

/** The instant the hour of `zone`'s clock that `instant` falls in began (a half-hour zone's hours begin at half past in UTC). */
export function startOfLocalHour(instant: Date, zone: string): Date {
  const w = wallClockAt(instant, zone);
  return new Date(Math.floor(instant.getTime() / 1000) * 1000 - (w.minute * 60 + w.second) * 1000);
}

/** The instant `day` begins in `zone` (usually midnight; the first existing minute where midnight is skipped). */
export function startOfLocalDay(day: LocalDay, zone: string): Date {
  const d = parseLocalDay(day);
  if (!d) throw new RangeError(`not a day: ${day}`);
  return instantOf({ ...d, hour: 0, minute: 0, second: 0 }, zone);
}

/** The instant the wall clock of `zone` reads `time` (`HH:MM`) on `day`. */
export function instantAtLocalTime(day: LocalDay, time: string, zone: string): Date {
  const d = parseLocalDay(day);
  const t = parseLocalTime(time);
  if (!d || !t) throw new RangeError(`not a day and time: ${day} ${time}`);
  return instantOf({ ...d, ...t, second: 0 }, zone);
}

/** The first instant at or after `from` at which the wall clock of `zone` reads `time` (`HH:MM`). */
export function nextLocalTime(from: Date, time: string, zone: string): Date {
  const day = localDayOf(from, zone);
  const today = instantAtLocalTime(day, time, zone);
  return today.getTime() >= from.getTime() ? today : instantAtLocalTime(nextDay(day), time, zone);
}
