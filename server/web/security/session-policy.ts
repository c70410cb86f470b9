/**
 * When a console session ends, pure: after `idleMs` without a request, or at its absolute end
 * (set at login), whichever comes first. Activity is written at most once per `touchEveryMs`, so
 * pages do not each cost a database write.
 */

export interface SessionTimes {
  lastSeenAt: Date;
  expiresAt: Date;
}

export type SessionVerdict = 'active' | 'idle' | 'ended';

export function sessionVerdict(session: SessionTimes, now: Date, idleMs: number): SessionVerdict {
  if (now.getTime() >= session.expiresAt.getTime()) return 'ended';
  if (now.getTime() - session.lastSeenAt.getTime() >= idleMs) return 'idle';
  return 'active';
}

export const TOUCH_EVERY_MS = 60_000;

export const shouldTouch = (session: SessionTimes, now: Date): boolean => now.getTime() - session.lastSeenAt.getTime() >= TOUCH_EVERY_MS;
