import type { Database } from '../../db/connect.js';
import { deleteEventsBefore } from '../../db/repos/events.js';
import { deleteRateLimitsBefore } from '../../db/repos/rate-limits.js';
import { deleteSignupsBefore } from '../../db/repos/signups.js';
import { deleteCallbacksBefore } from '../../db/repos/webhooks.js';
import { DAY_MS } from '../../shared/duration.js';
import type { HeraldConfig } from '../../shared/config/schema.js';
import type { Logger } from '../../shared/logger.js';

/**
 * Deletes what the public side no longer needs: signups a day after their link expired, rate
 * counters an hour old, events older than events.keepDays and callbacks older than
 * webhooks.logDays (0 keeps them). Run by the web module every hour.
 */
export async function publicHousekeeping(deps: { db: Database; config: HeraldConfig; log: Logger }, now: Date): Promise<void> {
  const { db, config } = deps;
  const ago = (ms: number) => new Date(now.getTime() - ms);
  const counts = {
    signups: await deleteSignupsBefore(db, ago(DAY_MS)),
    rateLimits: await deleteRateLimitsBefore(db, ago(3_600_000)),
    events: config.events.keepDays > 0 ? await deleteEventsBefore(db, ago(config.events.keepDays * DAY_MS)) : 0,
    webhooks: config.webhooks.logDays > 0 ? await deleteCallbacksBefore(db, ago(config.webhooks.logDays * DAY_MS)) : 0,
  };
  if (Object.values(counts).some((n) => n > 0)) deps.log.info('PUBLIC_HOUSEKEEPING', counts);
}
