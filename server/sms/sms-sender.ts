import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from '../db/connect.js';
import { loadBatch } from '../db/repos/message-recipients.js';
import type { ClaimedMessage } from '../db/repos/mta-queue.js';
import type { BuildFailure } from '../delivery/build-message.js';
import type { CompiledDelivery } from '../delivery/compile-delivery.js';
import { LeasedDeliveries } from '../delivery/leased-deliveries.js';
import { buildSmsMessages, type BuiltSms } from '../delivery/sms/build-sms.js';
import { describeError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { SmppConnector } from './smpp-connector.js';
import type { SmsWriter } from './sms-writer.js';
import { sendSegments } from './send-segments.js';

/**
 * The SMS send loop, in named steps like the MTA's: refresh the running SMS deliveries (compiled
 * once each) → claim due messages (lease, the MTA's queue design) → send-time checks → build
 * (personalize, tracked links, segments) → submit each message's segments on one bound connector
 * → settle its outcome (group commit). At most maxInFlight messages are between claim and
 * committed outcome; a paused or stopped delivery gets no new claims.
 */

export interface SmsSenderDeps {
  db: Database;
  log: Logger;
  owner: string;
  connectors: readonly SmppConnector[];
  writer: SmsWriter;
  compile: (deliveryId: number) => Promise<CompiledDelivery>;
  clock: () => Date;
  options: { claimBatch: number; maxInFlight: number; leaseSeconds: number; idlePollMs: number; retryDelaySec: number };
}

export class SmsSender {
  private readonly deliveries: LeasedDeliveries;
  private inFlight = 0;
  private readonly leased = new Set<number>();
  private stopping = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private next = 0;
  private warnedNoConnector = false;
  readonly counters = { claimed: 0, sent: 0, failed: 0, deferred: 0 };

  constructor(private readonly deps: SmsSenderDeps) {
    const { db, log, owner, compile, clock, options, writer } = deps;
    this.deliveries = new LeasedDeliveries({
      ...{ db, log, owner, compile, clock, leaseSeconds: options.leaseSeconds },
      channel: 'sms',
      stateEvent: 'SMS_DELIVERY_STATE',
      refreshEveryMs: Math.max(250, options.idlePollMs),
      settled: () => writer.queued === 0,
    });
  }

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    while (this.inFlight > 0) await sleep(20);
  }

  /** Ids of the messages claimed and not yet settled (their leases are renewed while they wait). */
  leasedIds(): number[] {
    return [...this.leased];
  }

  status(): Record<string, unknown> {
    return { inFlight: this.inFlight, deliveries: this.deliveries.runs.size, ...this.counters };
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.refresh();
        const { claimBatch, maxInFlight } = this.deps.options;
        const claimed = this.inFlight < maxInFlight && this.connector() ? await this.deliveries.claim(Math.min(claimBatch, maxInFlight - this.inFlight)) : [];
        this.counters.claimed += claimed.length;
        if (claimed.length > 0) await this.dispatch(claimed);
        else await this.idle();
      } catch (err) {
        this.deps.log.error('SMS_LOOP_ERROR', { err: describeError(err) });
        await sleep(this.deps.options.idlePollMs);
      }
    }
  }

  private async idle(): Promise<void> {
    const poll = this.inFlight >= this.deps.options.maxInFlight ? 20 : this.deps.options.idlePollMs;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, poll);
      this.wake = () => (clearTimeout(timer), resolve());
    });
    this.wake = undefined;
  }

  /** A bound connector, taken in turn; undefined when none is bound. */
  private connector(): SmppConnector | undefined {
    const list = this.deps.connectors;
    for (let k = 0; k < list.length; k++) {
      const c = list[(this.next + k) % list.length]!;
      if (c.ready) {
        this.next = (this.next + k + 1) % list.length;
        return c;
      }
    }
    return undefined;
  }

  /** Step 1 (leased-deliveries.ts), and a warning when SMS deliveries run with no connector configured. */
  private async refresh(): Promise<void> {
    const active = await this.deliveries.refresh();
    if (active?.length && !this.deps.connectors.length && !this.warnedNoConnector) {
      this.warnedNoConnector = true;
      this.deps.log.warn('SMS_NO_CONNECTOR', { deliveries: active.map((d) => d.id) });
    }
  }

  /** Steps 3–4: send-time checks and personalization for the batch, then each message on its own. */
  private async dispatch(claimed: ClaimedMessage[]): Promise<void> {
    const batch = await loadBatch(
      this.deps.db,
      claimed,
      (id) => this.deliveries.runs.get(id)?.delivery.serviceId ?? null,
      (id) => this.deliveries.runs.get(id)?.delivery.kind === 'transactional',
      'sms',
    );
    const built = this.deliveries.buildAll<BuiltSms>(
      claimed.filter((m) => !batch.blocked.has(m.id)),
      batch.recipients,
      batch.events,
      buildSmsMessages,
    );
    for (const m of claimed) {
      this.inFlight++;
      this.leased.add(m.id);
      const run = this.deliveries.runs.get(m.deliveryId);
      if (run) run.inFlight++;
      const blocked = batch.blocked.get(m.id);
      const work = blocked
        ? this.deps.writer.add({
            settlement: { id: m.id, deliveryId: m.deliveryId, status: 'ignored', type: 'ignored', reason: blocked.reason, text: blocked.text },
          })
        : this.process(m, built.get(m.id));
      void work
        .catch((err: unknown) => this.deps.log.error('SMS_LOOP_ERROR', { err: describeError(err) }))
        .finally(() => {
          this.inFlight--;
          this.leased.delete(m.id);
          if (run) run.inFlight--;
          this.wake?.();
        });
    }
  }

  private async process(m: ClaimedMessage, message: BuiltSms | BuildFailure | undefined): Promise<void> {
    const writer = this.deps.writer;
    const run = this.deliveries.runs.get(m.deliveryId);
    if (!run?.active || this.stopping || !message)
      return writer.add({ settlement: { id: m.id, deliveryId: m.deliveryId, status: 'postponed', nextAttemptAt: null } });
    if (!message.ok) {
      this.deps.log.warn('SMS_BUILD_FAILED', { deliveryId: m.deliveryId, broadLogId: m.id, err: message.error });
      this.counters.failed++;
      return writer.add({
        settlement: { id: m.id, deliveryId: m.deliveryId, status: 'failed', type: 'soft', reason: message.reason, text: message.error.slice(0, 1000) },
      });
    }
    const connector = this.connector();
    const outcome = await sendSegments(connector, m, message, this.deps.clock(), this.deps.options.retryDelaySec);
    this.counters[outcome.settlement.status === 'sent' ? 'sent' : outcome.settlement.status === 'deferred' ? 'deferred' : 'failed']++;
    return writer.add(outcome);
  }
}
