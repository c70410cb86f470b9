import { createTask, parse } from 'node-cron';
import { HeraldError } from '../shared/errors.js';

/**
 * Cron arithmetic for the engine, pure: `now` is always passed in. node-cron parses and matches the
 * expressions (so the schedules that fire and the ones computed here agree); this module answers
 * "when is the next fire time after t" and "which fire time, if any, was missed since t".
 */

export interface Schedule {
  readonly expression: string;
  readonly timezone: string | undefined;
  /** The first fire time strictly after `after`. */
  next(after: Date): Date;
  /** Whether `date` (whole seconds) is a fire time. */
  matches(date: Date): boolean;
  /** Distance between two candidate fire times: 1 s with a seconds field, else 1 min. */
  readonly stepMs: number;
}

interface TimeMatcher {
  getNextMatch(date: Date): Date;
}

export function compileSchedule(expression: string, timezone?: string): Schedule {
  let task: ReturnType<typeof createTask>;
  try {
    task = createTask(expression, () => undefined, { timezone: timezone || undefined });
  } catch (err) {
    throw new HeraldError('WF_BAD_SCHEDULE', `invalid cron expression "${expression}": ${(err as Error).message}`);
  }
  void task.destroy();
  const matcher = (task as unknown as { timeMatcher?: TimeMatcher }).timeMatcher;
  if (typeof matcher?.getNextMatch !== 'function') throw new Error('node-cron no longer exposes its time matcher: update server/workflows/schedule.ts');
  const seconds = parse(expression).second;
  return {
    expression,
    timezone: timezone || undefined,
    next: (after) => matcher.getNextMatch(after),
    matches: (date) => task.match(date),
    stepMs: seconds.length === 1 && seconds[0] === 0 ? 60_000 : 1000,
  };
}

/** Fire times followed forward before falling back to walking back from `now`. */
const MAX_FORWARD = 1000;

/**
 * The latest fire time in (`since`, `until`], or null. A schedule whose last slot was claimed at
 * `since` and that finds a slot here missed it (downtime, or a failed claim): the engine runs that
 * latest slot once, never every missed one.
 */
export function latestFireBetween(schedule: Schedule, since: Date, until: Date): Date | null {
  let slot = schedule.next(since);
  if (slot > until) return null;
  for (let i = 0; i < MAX_FORWARD; i++) {
    const following = schedule.next(slot);
    if (following > until) return slot;
    slot = following;
  }
  // A frequent schedule missed more than MAX_FORWARD slots: the latest one is close to `until`.
  for (let t = Math.floor(until.getTime() / schedule.stepMs) * schedule.stepMs; t > slot.getTime(); t -= schedule.stepMs) {
    if (schedule.matches(new Date(t))) return new Date(t);
  }
  return slot;
}

/**
 * A workflow's stored schedule: its cron expression, preceded by `CRON_TZ=<IANA zone> ` (cron's own
 * convention) when its Scheduler has a time zone of its own; else `[wfserver] timezone` applies.
 */
export function joinSchedule(expression: string, timezone?: string): string {
  return timezone ? `CRON_TZ=${timezone} ${expression}` : expression;
}

export function splitSchedule(stored: string): { expression: string; timezone?: string } {
  const m = /^CRON_TZ=(\S+)\s+(.+)$/.exec(stored);
  return m ? { expression: m[2]!, timezone: m[1]! } : { expression: stored };
}
