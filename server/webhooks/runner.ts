import type { Database } from '../db/connect.js';
import type { HeraldConfig } from '../shared/config/schema.js';
import { describeError } from '../shared/errors.js';
import type { LogEvent } from '../shared/log-events.js';
import type { Logger } from '../shared/logger.js';
import { collectEvents } from './collect.js';
import { sendDue } from './send.js';

/** One webhook round: queue the new events' callbacks, then send what is due. */
export async function webhookRound(deps: { db: Database; config: HeraldConfig; log: Logger; clock: () => Date }): Promise<{ queued: number; sent: number }> {
  const queued = await collectEvents(deps, deps.clock());
  const sent = await sendDue(deps, deps.clock);
  return { queued, sent };
}

/**
 * Runs `task` every `intervalMs`, never two at once (the next run is planned when one ends); a
 * failing run is logged and the loop goes on. stop() waits for a run in progress.
 */
export function every(intervalMs: number, task: () => Promise<unknown>, log: Logger, event: LogEvent): { stop(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const run = () => {
    running = task()
      .then(
        () => undefined,
        (err: unknown) => log.error(event, { err: describeError(err) }),
      )
      .finally(() => {
        running = undefined;
        if (!stopped) timer = setTimeout(run, intervalMs);
      });
  };
  timer = setTimeout(run, intervalMs);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
