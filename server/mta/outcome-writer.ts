import type { Database, WriteTransaction } from '../db/connect.js';
import { settle, stillLeased, type Settlement } from '../db/repos/mta-queue.js';
import { addSmtpStats, emptyCounters, slotStart, STAT_COUNTERS, type SmtpCounters } from '../db/repos/smtp-stats.js';
import { describeError, isStorageFull } from '../shared/errors.js';
import { clearProblem, reportProblem } from '../shared/health.js';
import type { Logger } from '../shared/logger.js';
import type { Settled } from './settle.js';

/**
 * Group commit of message outcomes: settlements gather in memory and are written in one
 * transaction at most every commitIntervalMs, with their effects (failures: bounce texts,
 * quarantine; deliveries: the address's "with errors" state cleared) and the SMTP counters per
 * domain that count them. A crash loses at most one interval of outcomes and their counters, whose
 * messages are still leased to this MTA and are sent again after the restart (duplicates bounded by
 * that window). Only the messages still leased to this MTA are written: one whose lease another
 * MTA took over (this one stalled past the expiry) keeps that MTA's outcome, and is counted once.
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
  /** The connection failed (the domain is at fault): the address's quarantine is left alone. */
  connection?: boolean;
}

/**
 * What outcomes change besides the broad log: failures are recorded with the bounce rules' effects
 * (the normalized bounce text, counted; the broad log's failure type, reason, text and bounce text;
 * the address's quarantine state), and a delivered message makes its address valid again.
 */
export interface OutcomeEffects {
  apply(failures: readonly FailureRecord[], now: Date, transaction: WriteTransaction): Promise<void>;
  delivered(addresses: readonly string[], now: Date, transaction: WriteTransaction): Promise<void>;
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
  /** The message's first attempt reached the server (the error rate counts distinct messages). */
  firstAttempt?: boolean;
  /** A message accepted on a retry, after a temporary refusal. */
  recovered?: boolean;
}

export class OutcomeWriter {
  private pending: Settlement[] = [];
  private failures: FailureRecord[] = [];
  private waiting: Array<() => void> = [];
  private stats = new Map<string, SmtpCounters>();
  private chain: Promise<void> = Promise.resolve();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly db: Database,
    private readonly owner: string,
    private effects: OutcomeEffects,
    private readonly log: Logger,
    private readonly clock: () => Date,
  ) {}

  /** Queues an outcome; the promise resolves once it is committed (the message stops being in flight). */
  add(settlement: Settlement, failure?: FailureRecord): Promise<void> {
    this.pending.push(settlement);
    if (failure) this.failures.push(failure);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** New effects (a reload changed the quarantine policy): the next commit uses them. */
  setEffects(effects: OutcomeEffects): void {
    this.effects = effects;
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
    if (c.firstAttempt) s.firstAttempts++;
    if (c.firstAttempt && c.softError) s.firstAttemptErrors++;
    if (c.recovered) s.recovered++;
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
  }

  private async write(): Promise<void> {
    if (this.pending.length === 0 && this.stats.size === 0) return;
    const now = this.clock();
    const { pending: batch, failures, waiting, stats } = this;
    this.pending = [];
    this.failures = [];
    this.waiting = [];
    this.stats = new Map();
    try {
      await this.db.write(async (transaction) => {
        const held = batch.length
          ? await stillLeased(
              this.db,
              this.owner,
              batch.map((s) => s.id),
              transaction,
            )
          : new Set<number>();
        const owned = batch.filter((s) => held.has(s.id));
        const ownedFailures = failures.filter((f) => held.has(f.broadLogId));
        if (owned.length < batch.length) this.log.warn('MTA_LEASES_LOST', { count: batch.length - owned.length, owner: this.owner });
        if (ownedFailures.length) await this.effects.apply(ownedFailures, now, transaction);
        const recorded = new Set(ownedFailures.map((f) => f.broadLogId));
        for (const s of owned) if ((s.status === 'failed' || s.status === 'deferred' || s.status === 'ignored') && recorded.has(s.id)) s.failureRecorded = true;
        if (owned.length) await settle(this.db, this.owner, owned, now, transaction);
        const delivered = owned.flatMap((s) => (s.status === 'sent' && s.address ? [s.address] : []));
        if (delivered.length) await this.effects.delivered(delivered, now, transaction);
        if (stats.size) await addSmtpStats(this.db, slotStart(now), stats, now, transaction);
      });
      for (const resolve of waiting) resolve();
      clearProblem('database');
    } catch (err) {
      this.log.error('MTA_COMMIT_FAILED', { count: batch.length, err });
      // Sending pauses by itself meanwhile: messages stay in flight until committed (maxInFlight).
      reportProblem('database', `${isStorageFull(err) ? 'storage full' : 'writes failing'}: ${describeError(err)}`);
      this.pending = batch.concat(this.pending);
      this.failures = failures.concat(this.failures);
      this.waiting = waiting.concat(this.waiting);
      for (const [domain, counters] of stats) this.stats.set(domain, merge(counters, this.stats.get(domain)));
    }
  }
}

function merge(older: SmtpCounters, newer: SmtpCounters | undefined): SmtpCounters {
  if (!newer) return older;
  const out = { ...older, lastResponse: newer.lastResponse ?? older.lastResponse };
  for (const k of STAT_COUNTERS) out[k] += newer[k];
  return out;
}
