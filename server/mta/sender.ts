import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from '../db/connect.js';
import type { Recipient } from '../db/models/index.js';
import { loadBatch, type BatchData } from '../db/repos/mta-checks.js';
import { claimDue, moveDelivery, pendingCounts, sendingDeliveries, type ActiveDelivery, type ClaimedMessage } from '../db/repos/mta-queue.js';
import { describeError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { limitsFor, type DomainRule } from './domain-rules.js';
import type { OutcomeWriter } from './outcome-writer.js';
import type { RetryPolicy } from './retry-schedule.js';
import { settleOutcome, type Classify } from './settle.js';
import { dnsOutcome, type Outcome } from './smtp-outcome.js';
import type { Throttle } from './throttle.js';
import { DestinationError } from './transports/resolver.js';
import type { Destination, Transport } from './transports/types.js';

/**
 * The send loop, in named steps: refresh the running deliveries → claim due messages (lease) →
 * send-time checks → build each message → resolve its destination → admit it through the throttle
 * → transmit → settle the outcome (group commit). At most maxInFlight messages are between claim
 * and settlement; a paused or stopped delivery gets no new claims and its claimed, unsent messages
 * go back to the queue.
 */

export interface PreparedMessage {
  envelope: { from: string; to: string };
  raw: Buffer;
}

/** A delivery compiled once for sending: builds one message per broad log row. */
export interface SendableDelivery {
  build(message: ClaimedMessage, recipient: Recipient | undefined, now: Date): PreparedMessage;
}

export interface SenderDeps {
  db: Database;
  log: Logger;
  owner: string;
  transport: Transport;
  resolve: (domain: string) => Promise<Destination>;
  rules: readonly DomainRule[];
  throttle: Throttle;
  classify: Classify;
  writer: OutcomeWriter;
  compile: (deliveryId: number) => Promise<SendableDelivery>;
  retry: RetryPolicy;
  clock: () => Date;
  options: { claimBatch: number; maxInFlight: number; leaseSeconds: number; idlePollMs: number };
}

interface Running {
  delivery: ActiveDelivery;
  compiled?: SendableDelivery | Error;
  inFlight: number;
}

export class Sender {
  private readonly running = new Map<number, Running>();
  private inFlight = 0;
  private stopping = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private refreshedAt = 0;
  readonly counters = { claimed: 0, sent: 0, failed: 0, deferred: 0 };

  constructor(private readonly deps: SenderDeps) {}

  start(): void {
    this.loop = this.run();
  }

  /** Stop claiming, let in-flight messages finish, write their outcomes. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    while (this.inFlight > 0) await sleep(20);
    await this.deps.writer.stop();
  }

  status(): Record<string, unknown> {
    return { inFlight: this.inFlight, deliveries: this.running.size, ...this.counters };
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.refreshDeliveries();
        const claimed = this.inFlight < this.deps.options.maxInFlight ? await this.claim() : [];
        if (claimed.length > 0) await this.dispatch(claimed);
        else await this.idle();
      } catch (err) {
        this.deps.log.error('MTA_LOOP_ERROR', { err: describeError(err) });
        await sleep(this.deps.options.idlePollMs);
      }
    }
  }

  private async idle(): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.inFlight >= this.deps.options.maxInFlight ? 20 : this.deps.options.idlePollMs);
      this.wake = () => (clearTimeout(timer), resolve());
    });
    this.wake = undefined;
  }

  /** Step 1: which deliveries run, compiled once each; finished ones are closed. */
  private async refreshDeliveries(): Promise<void> {
    const now = this.deps.clock();
    if (now.getTime() - this.refreshedAt < 1000) return;
    this.refreshedAt = now.getTime();
    const active = await sendingDeliveries(now);
    const ids = new Set(active.map((d) => d.id));
    for (const id of this.running.keys()) if (!ids.has(id)) this.running.delete(id);
    for (const delivery of active) {
      const run = this.running.get(delivery.id) ?? { delivery, inFlight: 0 };
      run.delivery = delivery;
      this.running.set(delivery.id, run);
      if (delivery.state === 'start_pending') await this.move(delivery, ['start_pending'], 'in_progress');
      if (!run.compiled) run.compiled = await this.deps.compile(delivery.id).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))));
    }
  }

  /** Step 2: claim due messages, deliveries in priority order. */
  private async claim(): Promise<ClaimedMessage[]> {
    const now = this.deps.clock();
    const until = new Date(now.getTime() + this.deps.options.leaseSeconds * 1000);
    const out: ClaimedMessage[] = [];
    for (const run of this.running.values()) {
      const room = Math.min(this.deps.options.claimBatch, this.deps.options.maxInFlight - this.inFlight) - out.length;
      if (room <= 0) break;
      const rows = await claimDue(this.deps.db, { deliveryId: run.delivery.id, owner: this.deps.owner, now, until, limit: room });
      if (rows.length === 0 && run.inFlight === 0) await this.closeIfDone(run, now);
      out.push(...rows);
    }
    this.counters.claimed += out.length;
    return out;
  }

  private async closeIfDone(run: Running, now: Date): Promise<void> {
    if (this.deps.writer.queued > 0) return;
    const { pending, due } = await pendingCounts(run.delivery.id, now);
    if (pending === 0) await this.move(run.delivery, ['in_progress', 'recovery_pending', 'recovery_in_progress'], 'finished');
    else if (due === 0 && run.delivery.state === 'in_progress') await this.move(run.delivery, ['in_progress'], 'recovery_pending');
    else if (due > 0 && run.delivery.state === 'recovery_pending') await this.move(run.delivery, ['recovery_pending'], 'in_progress');
  }

  private async move(delivery: ActiveDelivery, from: ActiveDelivery['state'][], to: ActiveDelivery['state']): Promise<void> {
    if (await moveDelivery(this.deps.db, delivery.id, from, to, this.deps.clock())) {
      this.deps.log.info('MTA_DELIVERY_STATE', { deliveryId: delivery.id, from: delivery.state, to });
      delivery.state = to;
    }
  }

  /** Step 3: send-time checks and recipients for the whole batch, then each message on its own. */
  private async dispatch(claimed: ClaimedMessage[]): Promise<void> {
    const batch = await loadBatch(claimed, (id) => this.running.get(id)?.delivery.serviceId ?? null);
    const perKey = new Map<string, number>();
    for (const m of claimed) {
      this.inFlight++;
      const run = this.running.get(m.deliveryId);
      if (run) run.inFlight++;
      const domain = m.address.slice(m.address.lastIndexOf('@') + 1).toLowerCase();
      perKey.set(domain, (perKey.get(domain) ?? 0) + 1);
      void this.process(m, batch, perKey).finally(() => {
        this.inFlight--;
        if (run) run.inFlight--;
        if (this.inFlight < this.deps.options.maxInFlight) this.wake?.();
      });
    }
  }

  private async process(m: ClaimedMessage, batch: BatchData, pendingPerDomain: Map<string, number>): Promise<void> {
    const now = this.deps.clock();
    const writer = this.deps.writer;
    const blocked = batch.blocked.get(m.id);
    if (blocked) return writer.add({ id: m.id, deliveryId: m.deliveryId, status: 'ignored', type: 'ignored', reason: blocked.reason, text: blocked.text });
    const run = this.running.get(m.deliveryId);
    if (!run || this.stopping) return writer.add({ id: m.id, deliveryId: m.deliveryId, status: 'postponed', nextAttemptAt: null });
    const message = this.build(run, m, batch.recipients.get(m.recipientId ?? -1), now);
    if (!message) return;
    const domain = m.address.slice(m.address.lastIndexOf('@') + 1).toLowerCase();
    let outcome: Outcome;
    let destination: Destination | undefined;
    try {
      destination = await this.deps.resolve(domain);
    } catch (err) {
      outcome = dnsOutcome(describeError(err), !(err instanceof DestinationError) || err.temporary);
    }
    if (destination) {
      const limits = limitsFor(this.deps.rules, domain, destination.mxNames);
      const admission = await this.deps.throttle.admit(limits, pendingPerDomain.get(domain) ?? 1, now);
      pendingPerDomain.set(domain, Math.max(0, (pendingPerDomain.get(domain) ?? 1) - 1));
      if (!admission.ok) return writer.add({ id: m.id, deliveryId: m.deliveryId, status: 'postponed', nextAttemptAt: new Date(admission.retryAtMs) });
      if (!this.running.has(m.deliveryId)) return writer.add({ id: m.id, deliveryId: m.deliveryId, status: 'postponed', nextAttemptAt: null });
      const sessions = this.deps.transport.openSessions(limits.key);
      outcome = await this.deps.transport.send({ broadLogId: m.id, deliveryId: m.deliveryId, ...message }, destination, { key: limits.key, maxConnections: this.deps.throttle.maxConnections(limits), maxMessagesPerConnection: limits.rule.maxMessagesPerConnection });
      writer.count({ domain, connection: this.deps.transport.openSessions(limits.key) > sessions, sent: outcome.kind === 'sent', response: outcome.kind === 'rejected' ? outcome.text : undefined, refused: outcome.kind === 'rejected' && outcome.phase === 'connect', timeout: outcome.kind === 'rejected' && /timeout|timed out/i.test(outcome.text), softError: outcome.kind === 'rejected' && outcome.temporary, hardError: outcome.kind === 'rejected' && !outcome.temporary });
    }
    const settled = settleOutcome(outcome!, { id: m.id, deliveryId: m.deliveryId, attempts: m.attempts, validityEnd: run.delivery.validityEnd }, this.deps.classify, this.deps.retry, this.deps.clock());
    this.counters[settled.settlement.status === 'sent' ? 'sent' : settled.settlement.status === 'deferred' ? 'deferred' : 'failed']++;
    writer.add(settled.settlement, settled.failure && { broadLogId: m.id, deliveryId: m.deliveryId, address: m.address, ...settled.failure });
  }

  /** Step 4: personalize and build; a template error fails this message only (reason unreachable). */
  private build(run: Running, m: ClaimedMessage, recipient: Recipient | undefined, now: Date): PreparedMessage | undefined {
    try {
      if (run.compiled instanceof Error) throw run.compiled;
      if (!run.compiled) throw new Error('delivery not compiled');
      return run.compiled.build(m, recipient, now);
    } catch (err) {
      const text = `personalization or build error: ${describeError(err)}`.slice(0, 1000);
      this.deps.log.warn('MTA_BUILD_FAILED', { deliveryId: m.deliveryId, broadLogId: m.id, err: describeError(err) });
      this.deps.writer.add({ id: m.id, deliveryId: m.deliveryId, status: 'failed', type: 'soft', reason: 'unreachable', text });
      this.counters.failed++;
      return undefined;
    }
  }
}
