import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from '../db/connect.js';
import type { Recipient } from '../db/models/index.js';
import { changeDeliveryState, type LifecycleStep, type StateChangeValues } from '../db/repos/delivery-state.js';
import { loadBatch } from '../db/repos/message-recipients.js';
import { claimDue, pauseRequested, pendingCounts, sendingDeliveries, type ActiveDelivery, type ClaimedMessage } from '../db/repos/mta-queue.js';
import type { BuildFailure, MessageRecipient } from '../delivery/build-message.js';
import type { CompiledDelivery } from '../delivery/compile-delivery.js';
import * as lifecycle from '../delivery/lifecycle.js';
import { buildSmsMessages, type BuiltSms } from '../delivery/sms/build-sms.js';
import { describeError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { SmppConnector } from './smpp-connector.js';
import type { SmsWriter } from './sms-writer.js';
import { sendSegments } from './send-segments.js';
import { groupBy } from '../shared/group-by.js';

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

interface Running {
  delivery: ActiveDelivery;
  compiled?: CompiledDelivery | Error;
  inFlight: number;
  active: boolean;
}

export class SmsSender {
  private readonly running = new Map<number, Running>();
  private inFlight = 0;
  private readonly leased = new Set<number>();
  private stopping = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private refreshedAt = 0;
  private next = 0;
  private warnedNoConnector = false;
  readonly counters = { claimed: 0, sent: 0, failed: 0, deferred: 0 };

  constructor(private readonly deps: SmsSenderDeps) {}

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
    return { inFlight: this.inFlight, deliveries: this.running.size, ...this.counters };
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.refreshDeliveries();
        const claimed = this.inFlight < this.deps.options.maxInFlight && this.connector() ? await this.claim() : [];
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

  /** Step 1: which SMS deliveries run, compiled once each; pauses acknowledged. */
  private async refreshDeliveries(): Promise<void> {
    if (Date.now() - this.refreshedAt < Math.max(250, this.deps.options.idlePollMs)) return;
    this.refreshedAt = Date.now();
    const now = this.deps.clock();
    const active = await sendingDeliveries(this.deps.db, now, 'sms');
    if (active.length && !this.deps.connectors.length && !this.warnedNoConnector) {
      this.warnedNoConnector = true;
      this.deps.log.warn('SMS_NO_CONNECTOR', { deliveries: active.map((d) => d.id) });
    }
    const ids = new Set(active.map((d) => d.id));
    for (const [id, run] of this.running) {
      run.active = ids.has(id);
      if (!run.active && run.inFlight === 0) this.running.delete(id);
    }
    for (const id of await pauseRequested(this.deps.db, 'sms')) {
      if ((this.running.get(id)?.inFlight ?? 0) > 0) continue;
      this.running.delete(id);
      await this.move({ id, state: 'pause_requested' }, lifecycle.pauseTaken);
    }
    for (const delivery of active) {
      const run = this.running.get(delivery.id) ?? { delivery, inFlight: 0, active: true };
      run.delivery = delivery;
      run.active = true;
      this.running.set(delivery.id, run);
      if (delivery.state === 'start_pending') await this.move(delivery, lifecycle.beginSending, delivery.startedAt ? {} : { startedAt: now });
      if (!run.compiled) run.compiled = await this.deps.compile(delivery.id).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))));
    }
  }

  /** Step 2: claim due messages, deliveries in priority order; a delivery with nothing left is closed. */
  private async claim(): Promise<ClaimedMessage[]> {
    const now = this.deps.clock();
    const until = new Date(now.getTime() + this.deps.options.leaseSeconds * 1000);
    const out: ClaimedMessage[] = [];
    for (const run of this.running.values()) {
      if (!run.active) continue;
      const room = Math.min(this.deps.options.claimBatch, this.deps.options.maxInFlight - this.inFlight) - out.length;
      if (room <= 0) break;
      const rows = await claimDue(this.deps.db, { deliveryId: run.delivery.id, owner: this.deps.owner, now, until, limit: room });
      if (rows.length > 0 && run.delivery.state === 'recovery_pending') await this.move(run.delivery, lifecycle.beginRecovery);
      if (rows.length === 0 && run.inFlight === 0) await this.closeIfDone(run, now);
      out.push(...rows);
    }
    this.counters.claimed += out.length;
    return out;
  }

  private async closeIfDone(run: Running, now: Date): Promise<void> {
    if (this.deps.writer.queued > 0 || run.delivery.kind === 'transactional') return;
    const { pending, due } = await pendingCounts(this.deps.db, run.delivery.id, now);
    if (pending === 0) await this.move(run.delivery, lifecycle.finish, { finishedAt: now });
    else if (due === 0 && run.delivery.state !== 'recovery_pending') await this.move(run.delivery, lifecycle.awaitRetries);
  }

  private async move(delivery: Pick<ActiveDelivery, 'id' | 'state'>, step: LifecycleStep, set: StateChangeValues = {}): Promise<void> {
    const change = await changeDeliveryState(this.deps.db, { id: delivery.id, from: delivery.state, step, now: this.deps.clock(), set });
    if (!change.ok) return;
    this.deps.log.info('SMS_DELIVERY_STATE', { deliveryId: delivery.id, from: change.from, to: change.to });
    delivery.state = change.to;
  }

  /** Steps 3–4: send-time checks and personalization for the batch, then each message on its own. */
  private async dispatch(claimed: ClaimedMessage[]): Promise<void> {
    const batch = await loadBatch(
      this.deps.db,
      claimed,
      (id) => this.running.get(id)?.delivery.serviceId ?? null,
      (id) => this.running.get(id)?.delivery.kind === 'transactional',
      'sms',
    );
    const built = this.buildAll(
      claimed.filter((m) => !batch.blocked.has(m.id)),
      batch.recipients,
      batch.events,
    );
    for (const m of claimed) {
      this.inFlight++;
      this.leased.add(m.id);
      const run = this.running.get(m.deliveryId);
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
    const run = this.running.get(m.deliveryId);
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

  private buildAll(
    messages: readonly ClaimedMessage[],
    recipients: ReadonlyMap<number, Recipient>,
    events: ReadonlyMap<number, Record<string, unknown>>,
  ): Map<number, BuiltSms | BuildFailure> {
    const out = new Map<number, BuiltSms | BuildFailure>();
    const byDelivery = groupBy(messages, (m) => m.deliveryId);
    for (const [deliveryId, list] of byDelivery) {
      const compiled = this.running.get(deliveryId)?.compiled;
      if (!compiled) continue;
      if (compiled instanceof Error) {
        for (const m of list) out.set(m.id, { ok: false, reason: 'unreachable', error: `the delivery cannot be built: ${describeError(compiled)}` });
        continue;
      }
      const results = buildSmsMessages(
        compiled,
        list.map((m) => ({ recipient: personalization(m, recipients.get(m.recipientId ?? -1)), log: m, event: events.get(m.id) })),
      );
      list.forEach((m, i) => out.set(m.id, results[i]!));
    }
    return out;
  }
}

const personalization = (m: ClaimedMessage, r: Recipient | undefined): MessageRecipient =>
  r
    ? { id: r.id, email: r.email, firstName: r.firstName, lastName: r.lastName, emailFormat: r.emailFormat, fields: r.fields ?? null }
    : { id: null, email: '', firstName: null, lastName: null, emailFormat: 'text', fields: null };
