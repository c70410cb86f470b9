import type { Database } from '../../db/connect.js';
import { messageCounts, saveDeliveryTracking, trackingLogPage, type IndicatorValues, type LogPosition } from '../../db/repos/tracking-indicators.js';
import { IndicatorAccumulator } from './indicators.js';

const PAGE = 5000;

/**
 * Recomputes a delivery's indicators and click slots from all its tracking logs (streamed in
 * time order, memory bounded by the number of distinct messages), then replaces the stored ones.
 */
export async function consolidateDelivery(db: Database, deliveryId: number, now: Date, options: { openDedupSeconds: number }): Promise<IndicatorValues> {
  const accumulator = new IndicatorAccumulator(options);
  let after: LogPosition | undefined;
  for (;;) {
    const page = await trackingLogPage(db, deliveryId, after, PAGE);
    for (const row of page) accumulator.add(row);
    if (page.length < PAGE) break;
    const last = page[page.length - 1]!;
    after = { loggedAt: last.loggedAt, id: last.id };
  }
  const { indicators, slots } = accumulator.finish(await messageCounts(db, deliveryId));
  await saveDeliveryTracking(db, deliveryId, indicators, slots, now);
  return indicators;
}
