import { recordFailuresIn, type FailureRecord } from '../bounce/record-failures.js';
import { DELIVERED_RELEASES, type QuarantinePolicy } from '../bounce/quarantine-policy.js';
import type { Database, WriteTransaction } from '../db/connect.js';
import { settle, stillLeased, type Settlement } from '../db/repos/mta-queue.js';
import { releaseDelivered } from '../db/repos/quarantines.js';
import {
  insertInbound,
  markReceipts,
  numberLanguage,
  recordSubmits,
  setSegments,
  submittedMessages,
  unsubscribeNumber,
  type InboundRow,
  type SubmitRow,
} from '../db/repos/sms.js';
import { describeError, isStorageFull } from '../shared/errors.js';
import { clearProblem, reportProblem } from '../shared/health.js';
import type { Logger } from '../shared/logger.js';
import { readInbound, type Inbound } from './inbound-read.js';
import { planReceipts } from './receipt-plan.js';
import type { InboundPdu } from './smpp-connector.js';
import { groupBy } from '../shared/group-by.js';

/**
 * The SMS module's group commit: outcomes of submitted messages (broad log, the segments' message
 * ids, the failures they record) and what the SMSCs sent back (receipts, replies) gather in memory
 * and are written in one transaction at most every commitIntervalMs — outcomes first, so a receipt
 * that arrives right after its submit_sm_resp finds its message in the same transaction. A caller
 * waits for the commit: a message stays in flight (leased) until its outcome is written, and the
 * SMSC gets its deliver_sm_resp only once the receipt or reply is stored. A crash loses at most
 * the outcomes of one interval, whose messages are sent again (the duplicates are those in
 * flight); receipts and replies not answered yet are sent again by the SMSC. Only the outcomes of
 * messages still leased to this process are written (as the MTA's outcome writer does): a message
 * whose lease ran out and was taken again keeps the other claim's outcome.
 */

export interface Outcome {
  settlement: Settlement;
  submits?: SubmitRow[];
  segments?: number;
  failure?: FailureRecord;
}

export interface StopRequest {
  connector: string;
  number: string;
  /** The language of the number's recipient, when one has a language. */
  language: string | null;
}

export interface WriterOptions {
  stopWords: readonly string[];
  defaultCountry: string;
  policy: QuarantinePolicy;
}

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

interface Batch {
  outcomes: Outcome[];
  outcomeWaiters: Waiter[];
  inbound: Inbound[];
  inboundWaiters: Waiter[];
}

const emptyBatch = (): Batch => ({ outcomes: [], outcomeWaiters: [], inbound: [], inboundWaiters: [] });

export class SmsWriter {
  private batch = emptyBatch();
  private chain: Promise<void> = Promise.resolve();
  private timer?: NodeJS.Timeout;
  readonly counters = { receipts: 0, unmatched: 0, replies: 0, stops: 0 };

  constructor(
    private readonly db: Database,
    private readonly owner: string,
    private options: WriterOptions,
    private readonly log: Logger,
    private readonly clock: () => Date,
    private readonly onStop: (stop: StopRequest) => void,
  ) {}

  get queued(): number {
    return this.batch.outcomes.length;
  }

  setOptions(options: WriterOptions): void {
    this.options = options;
  }

  /** Queues a message's outcome; resolves once committed. */
  add(outcome: Outcome): Promise<void> {
    this.batch.outcomes.push(outcome);
    return new Promise((resolve, reject) => this.batch.outcomeWaiters.push({ resolve, reject }));
  }

  /** Queues a receipt or reply; resolves once stored, rejects when the commit failed (the SMSC sends it again). */
  addInbound(pdu: InboundPdu): Promise<void> {
    this.batch.inbound.push(readInbound(pdu, this.options.stopWords, this.options.defaultCountry));
    return new Promise((resolve, reject) => this.batch.inboundWaiters.push({ resolve, reject }));
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  flush(): Promise<void> {
    this.chain = this.chain.then(() => this.write());
    return this.chain;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private async write(): Promise<void> {
    const batch = this.batch;
    if (batch.outcomes.length === 0 && batch.inbound.length === 0) return;
    this.batch = emptyBatch();
    const now = this.clock();
    try {
      const stops = await this.db.write(async (transaction) => {
        await this.writeOutcomes(batch.outcomes, now, transaction);
        return this.writeInbound(batch.inbound, now, transaction);
      });
      for (const w of [...batch.outcomeWaiters, ...batch.inboundWaiters]) w.resolve();
      clearProblem('database');
      for (const stop of stops) this.onStop(stop);
    } catch (err) {
      this.log.error('SMS_COMMIT_FAILED', { count: batch.outcomes.length + batch.inbound.length, err: describeError(err) });
      reportProblem('database', `${isStorageFull(err) ? 'storage full' : 'writes failing'}: ${describeError(err)}`);
      // outcomes wait for the next commit (their messages stay in flight); receipts and replies are refused: the SMSC sends them again
      this.batch.outcomes = batch.outcomes.concat(this.batch.outcomes);
      this.batch.outcomeWaiters = batch.outcomeWaiters.concat(this.batch.outcomeWaiters);
      for (const w of batch.inboundWaiters) w.reject(err);
    }
  }

  private async writeOutcomes(all: readonly Outcome[], now: Date, transaction: WriteTransaction): Promise<void> {
    if (!all.length) return;
    const held = await stillLeased(
      this.db,
      this.owner,
      all.map((o) => o.settlement.id),
      transaction,
    );
    if (held.size < all.length) this.log.warn('SMS_LEASES_LOST', { count: all.length - held.size, owner: this.owner });
    const outcomes = all.filter((o) => held.has(o.settlement.id));
    if (!outcomes.length) return;
    const failures = outcomes.flatMap((o) => (o.failure ? [o.failure] : []));
    if (failures.length) await recordFailuresIn(this.db, failures, now, this.options.policy, transaction, 'sms');
    const recorded = new Set(failures.map((f) => f.broadLogId));
    const settlements = outcomes.map((o) => o.settlement);
    for (const s of settlements) if ((s.status === 'failed' || s.status === 'deferred') && recorded.has(s.id)) s.failureRecorded = true;
    await settle(this.db, this.owner, settlements, now, transaction);
    await recordSubmits(
      this.db,
      outcomes.flatMap((o) => o.submits ?? []),
      now,
      transaction,
    );
    await setSegments(this.db, new Map(outcomes.flatMap((o) => (o.segments ? [[o.settlement.id, o.segments] as const] : []))), transaction);
  }

  private async writeInbound(inbound: readonly Inbound[], now: Date, transaction: WriteTransaction): Promise<StopRequest[]> {
    if (!inbound.length) return [];
    const receipts = inbound.filter((i) => i.kind === 'receipt');
    const byConnector = groupBy(receipts, (r) => r.connector);
    for (const [connector, list] of byConnector) {
      const matched = await submittedMessages(
        this.db,
        connector,
        list.map((r) => r.messageId),
        transaction,
      );
      const plan = planReceipts(list, matched);
      await markReceipts(this.db, plan.updates, now, transaction);
      if (plan.failures.length) await recordFailuresIn(this.db, plan.failures, now, this.options.policy, transaction, 'sms');
      if (plan.delivered.length) await releaseDelivered(this.db, plan.delivered, DELIVERED_RELEASES, now, transaction, 'sms');
      this.counters.receipts += list.length;
      this.counters.unmatched += plan.unmatched;
      if (plan.unmatched) this.log.warn('SMS_RECEIPTS_UNMATCHED', { connector, count: plan.unmatched });
    }
    const rows: InboundRow[] = [];
    const stops: StopRequest[] = [];
    for (const reply of inbound) {
      if (reply.kind !== 'reply') continue;
      const recipients = reply.keyword ? await unsubscribeNumber(this.db, reply.source, null, now, transaction) : 0;
      rows.push({ ...reply, action: reply.keyword ? 'unsubscribed' : 'review', recipients, receivedAt: now });
      this.counters.replies++;
      if (reply.keyword) {
        this.counters.stops++;
        stops.push({ connector: reply.connector, number: reply.source, language: await numberLanguage(this.db, reply.source, transaction) });
        this.log.info('SMS_STOP_RECEIVED', { connector: reply.connector, keyword: reply.keyword, recipients });
      } else this.log.info('SMS_REPLY_KEPT', { connector: reply.connector });
    }
    await insertInbound(this.db, rows, transaction);
    return stops;
  }
}
