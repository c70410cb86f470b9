/**
 * Live throughput of running deliveries (messages per minute), from the processed counter the MTA
 * keeps on the delivery: each read of a dashboard adds a sample, and the rate is the counter's
 * growth over about the last minute. Kept in the web process's memory only (bounded); a fresh
 * meter falls back to the average since the start. Pure apart from its own small state.
 */

interface Sample {
  at: number;
  processed: number;
}

const WINDOW_MS = 60_000;
const KEEP_MS = 5 * 60_000;
const MAX_DELIVERIES = 500;

export class ThroughputMeter {
  private readonly samples = new Map<number, Sample[]>();

  /** Records the counter of a delivery at `now`; returns messages per minute, or undefined when unknown. */
  record(deliveryId: number, processed: number, now: Date, startedAt: Date | null): number | undefined {
    const at = now.getTime();
    const list = (this.samples.get(deliveryId) ?? []).filter((s) => at - s.at <= KEEP_MS && s.processed <= processed);
    list.push({ at, processed });
    this.samples.delete(deliveryId);
    this.samples.set(deliveryId, list);
    if (this.samples.size > MAX_DELIVERIES) this.samples.delete(this.samples.keys().next().value!);
    const base = list.find((s) => at - s.at <= WINDOW_MS && at - s.at >= 5_000) ?? list.find((s) => at - s.at >= 5_000);
    if (base) return Math.round(((processed - base.processed) * 60_000) / (at - base.at));
    if (startedAt && at - startedAt.getTime() >= 5_000) return Math.round((processed * 60_000) / (at - startedAt.getTime()));
    return undefined;
  }

  forget(deliveryId: number): void {
    this.samples.delete(deliveryId);
  }
}
