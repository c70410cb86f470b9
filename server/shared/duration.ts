/**
 * Durations written the way operators write them: "30m", "3d", "1d12h", "90s", "2w". Used by the
 * Wait activity and by relative dates in recipient conditions ("-7d" = seven days before now).
 */

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION = /^(?:\d{1,6}[smhdw])+$/;

/** Milliseconds of a duration, or undefined when the text is not one. */
export function parseDuration(text: string): number | undefined {
  if (!DURATION.test(text)) return undefined;
  let ms = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)([smhdw])/g)) ms += Number(n) * UNIT_MS[unit!]!;
  return ms;
}

/**
 * A point in time: an ISO 8601 date, "now", or a duration before/after now ("-7d", "+1h").
 * Undefined when the text is none of these.
 */
export function parseMoment(text: string, now: Date): Date | undefined {
  if (text === 'now') return now;
  const relative = /^([+-])(.+)$/.exec(text);
  if (relative) {
    const ms = parseDuration(relative[2]!);
    return ms === undefined ? undefined : new Date(now.getTime() + (relative[1] === '-' ? -ms : ms));
  }
  if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export const DAY_MS = UNIT_MS.d!;
