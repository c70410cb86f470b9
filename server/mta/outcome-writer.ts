import type { Database, WriteTransaction } from '../db/connect.js';
import { settle, type Settlement } from '../db/repos/mta-queue.js';
import { addSmtpStats, emptyCounters, slotStart, type SmtpCounters } from '../db/repos/smtp-stats.js';
import type { Logger } from '../shared/logger.js';
import type { Settled } from './settle.js';

/**
 * Group commit of message outcomes: settlements gather in memory and are written in one
 * transaction at most every commitIntervalMs (failure effects — bounce texts, quarantine — in the
 * same transaction). A crash loses at most one interval of outcomes, whose messages are still
 * leased to this MTA and are sent again after the restart (duplicates bounded by that window).
 * SMTP counters per domain go to smtp_stats every 30 s.
 */

export interface FailureRecord {
  broadLogId: number;
  deliveryId: number;
  address: string;
  type: NonNullable<Settled['failure']>['type'];
  reason: NonNullable<Settled['failure']>['reason'];
  rule: string;
  qualified: boolean;
  text: string;
  temporary: boolean;
}

/**
 * Records failures with the bounce rules' effects: the normalized bounce text (counted), the broad
 * log's failure type, reason, text and bounce text, and the address's quarantine state.
 */
export interface FailureEffects {
  apply(failures: readonly FailureRecord[], now: Date, transaction: WriteTransaction): Promise<void>;
}

export interface Counted {
  domain: string;
  /** A new SMTP session was opened for this message. */
  connection?: boolean;
  sent?: boolean;
  softError?: boolean;
  hardError?: boolean;
  timeout?: boolean;
  refused?: boolean;
  response?: string;
}

export class OutcomeWriter {
  private pending: Settlement[] = [];
  private failures: FailureRecord[] = [];
  private waiting: Array<() => void> = [];
  private stats = new Map<string, SmtpCounters>();
  private statsSlot = 0;
  private statsFlushedAt = 0;
  private chain: Promise<void> = Promise.resolve();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly db: Database,
    private readonly effects: FailureEffects,
    private readonly log: Logger,
    private readonly clock: () => Date,
  ) {}

  /** Queues an outcome; the promise resolves once it is committed (the message stops being in flight). */
  add(settlement: Settlement, failure?: FailureRecord): Promise<void> {
    this.pending.push(settlement);
    if (failure) this.failures.push(failure);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  count(c: Counted): void {
    const s = this.stats.get(c.domain) ?? emptyCounters();
    if (c.connection) s.connections++;
    s.messages++;
    if (c.sent) s.sent++;
    if (c.softError) s.softErrors++;
    if (c.hardError) s.hardErrors++;
    if (c.timeout) s.timeouts++;
    if (c.refused) s.refusedConnections++;
    if (c.response && !c.sent) s.lastResponse = c.response.slice(0, 1000);
    this.stats.set(c.domain, s);
  }

  get queued(): number {
    return this.pending.length;
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  /** Writes everything gathered so far; flushes never overlap. */
  flush(): Promise<void> {
    this.chain = this.chain.then(() => this.write());
    return this.chain;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    await this.writeStats(true);
  }

  private async write(): Promise<void> {
    const now = this.clock();
    if (this.pending.length > 0) {
      const batch = this.pending;
      const failures = this.failures;
      const waiting = this.waiting;
      this.pending = [];
      this.failures = [];
      this.waiting = [];
      try {
        await this.db.write(async (transaction) => {
          if (failures.length) await this.effects.apply(failures, now, transaction);
          const recorded = new Set(failures.map((f) => f.broadLogId));
          for (const s of batch)
            if ((s.status === 'failed' || s.status === 'deferred' || s.status === 'ignored') && recorded.has(s.id)) s.failureRecorded = true;
          await settle(this.db, batch, now, transaction);
        });
        for (const resolve of waiting) resolve();
      } catch (err) {
        this.log.error('MTA_COMMIT_FAILED', { count: batch.length, err });
        this.pending = batch.concat(this.pending);
        this.failures = failures.concat(this.failures);
        this.waiting = waiting.concat(this.waiting);
      }
    }
    await this.writeStats(false);
  }

  private async writeStats(force: boolean): Promise<void> {
    const now = this.clock();
    const slot = slotStart(now).getTime();
    if (this.stats.size === 0 || (!force && slot === this.statsSlot && now.getTime() - this.statsFlushedAt < 30_000)) return;
    const stats = this.stats;
    this.stats = new Map();
    try {
      await addSmtpStats(this.db, new Date(this.statsSlot || slot), stats, now);
    } catch (err) {
      this.log.error('MTA_COMMIT_FAILED', { count: stats.size, err });
    }
    this.statsSlot = slot;
    this.statsFlushedAt = now.getTime();
  }
}
