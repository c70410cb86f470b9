import type { Database } from '../db/connect.js';
import { currentEnd, queueCallbacks, readCursor, readSource, WEBHOOK_SOURCES, type QueuedCallback, type WebhookSource } from '../db/repos/webhooks.js';
import type { HeraldConfig } from '../shared/config/schema.js';
import type { Logger } from '../shared/logger.js';

/**
 * Step 1 of a webhook round: read each source from its cursor and queue one callback per endpoint
 * that asked for the event's type. A source without a cursor starts at its current end.
 */

export interface CollectDeps {
  db: Database;
  config: HeraldConfig;
  log: Logger;
}

const WANTED: Record<WebhookSource, ReadonlyArray<'bounce' | 'complaint' | 'unsubscribe' | 'click'>> = {
  clicks: ['click'],
  quarantines: ['bounce', 'complaint'],
  unsubscribes: ['unsubscribe'],
};

/** Queues the callbacks of every source; returns how many were queued. */
export async function collectEvents(deps: CollectDeps, now: Date): Promise<number> {
  const endpoints = deps.config.webhooks.endpoints;
  let queued = 0;
  for (const source of WEBHOOK_SOURCES) {
    if (!endpoints.some((e) => e.events.some((t) => WANTED[source].includes(t)))) continue;
    let cursor = await readCursor(deps.db, source);
    if (cursor === undefined) {
      cursor = await currentEnd(deps.db, source, now);
      deps.log.info('WEBHOOK_SOURCE_STARTED', { source, position: cursor });
      await queueCallbacks(deps.db, source, cursor, [], now);
      continue;
    }
    const { events, cursor: next } = await readSource(deps.db, source, cursor, deps.config.webhooks.batchSize);
    if (next === cursor) continue;
    const callbacks: QueuedCallback[] = events.flatMap((event) =>
      endpoints.filter((e) => e.events.includes(event.type)).map((e) => ({ endpoint: e.name, event })),
    );
    queued += await queueCallbacks(deps.db, source, next, callbacks, now);
  }
  return queued;
}
