/** Pure rules of the watchdog's periodic checks: memory thresholds and the daily restart time. */

export type MemoryLevel = 'ok' | 'warning' | 'alert';

const MB = 1024 * 1024;

export function memoryLevel(rssBytes: number, limits: { memoryWarningMb: number; memoryAlertMb: number }): MemoryLevel {
  if (rssBytes > limits.memoryAlertMb * MB) return 'alert';
  if (rssBytes > limits.memoryWarningMb * MB) return 'warning';
  return 'ok';
}

export const toMb = (bytes: number): number => Math.round((bytes / MB) * 10) / 10;

/**
 * The next time after `after` (ms) when the local clock reads `time` ("HH:MM", Adobe's
 * processRestartTime); undefined when `time` is empty (no daily restart).
 */
export function nextDailyRestart(after: number, time: string): number | undefined {
  const match = /^(\d{2}):(\d{2})$/.exec(time);
  if (!match) return undefined;
  const next = new Date(after);
  next.setHours(Number(match[1]), Number(match[2]), 0, 0);
  if (next.getTime() <= after) next.setDate(next.getDate() + 1);
  return next.getTime();
}
