import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from '../db/connect.js';
import type { Recipient } from '../db/models/index.js';
import { loadBatch, type BatchData } from '../db/repos/message-recipients.js';
import { changeDeliveryState, type LifecycleStep, type StateChangeValues } from '../db/repos/delivery-state.js';
import { claimDue, pauseRequested, pendingCounts, sendingDeliveries, type ActiveDelivery, type ClaimedMessage } from '../db/repos/mta-queue.js';
import * as lifecycle from '../delivery/lifecycle.js';
import { addressDomain } from '../shared/email-address.js';
import { describeError } from '../shared/errors.js';
import type { FailureReason } from '../shared/glossary.js';
import type { Logger } from '../shared/logger.js';
import { limitsFor, type DomainRule } from './domain-rules.js';
import type { MtaMetrics } from './metrics.js';
import type { OutcomeWriter } from './outcome-writer.js';
import type { RetryPolicy } from './retry-schedule.js';
import { settleOutcome, type Classify } from './settle.js';
import { dnsOutcome, type Outcome } from './smtp-outcome.js';
import type { DomainBackoff } from './domain-backoff.js';
import type { Throttle } from './throttle.js';
import { DestinationError } from './transports/resolver.js';
import type { Destination, Transport } from './transports/types.js';
import { groupBy } from '../shared/group-by.js';

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

/** A message that could not be built: it fails alone (reason from the builder, e.g. unreachable). */
export interface BuildError {
  reason: FailureReason;
  error: string;
}

/** A delivery compiled once for sending: builds the messages of a claimed batch, in order. */
export interface SendableDelivery {
  build(
    items: ReadonlyArray<{ message: ClaimedMessage; recipient: Recipient | undefined; event?: Record<string, unknown> }>,
    now: Date,
  ): Array<PreparedMessage | BuildError>;
}

export interface SenderDeps {
  db: Database;
  log: Logger;
  owner: string;
  transport: Transport;
  resolve: (domain: string) => Promise<Destination>;
  rules: readonly DomainRule[];
  throttle: Throttle;
  backoff: DomainBackoff;
  classify: Classify;
  writer: OutcomeWriter;
  compile: (deliveryId: number) => Promise<SendableDelivery>;
  retry: RetryPolicy;
  clock: () => Date;
  options: { claimBatch: number; maxInFlight: number; leaseSeconds: number; idlePollMs: number };
  /** Counts outcomes and throttling for the module's Prometheus metrics. */
  metrics?: MtaMetrics;
}

interface Running {
  delivery: ActiveDelivery;
  compiled?: SendableDelivery | Error;
  inFlight: number;
  /** Still in a sending state: new claims allowed (false while its last messages finish). */
  active: boolean;
}

/** How long a message waits after a local error (disk, database) before it is claimed again. */
const LOCAL_ERROR_DELAY_MS = 10_000;

/** The back-off key of a destination: the hosts its messages go to (shared by the domains they serve). */
export function destinationKey(destination: Destination): string {
  return destination.hosts.length ? `hosts:${destination.hosts.map((h) => `${h.host}:${h.port}`).join(',')}` : `domain:${destination.domain}`;
}

export class Sender {
  private readonly running = new Map<number, Running>();
  private inFlight = 0;
  /** Ids of the messages between claim and written outcome: their leases are renewed while they are here. */
  private readonly leased = new Set<number>();
  private stopping = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private refreshedAt = 0;
  /** The earliest time (business clock, ms) a message put back by the rate limit may go again. */
  private nextRetryMs: number | undefined;
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

  /** The messages this MTA holds now (claimed, outcome not yet written). */
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
        const claimed = this.inFlight < this.deps.options.maxInFlight ? await this.claim() : [];
        if (claimed.length > 0) await this.dispatch(claimed);
        else await this.idle();
      } catch (err) {
        this.deps.log.error('MTA_LOOP_ERROR', { err: describeError(err) });
        await sleep(this.deps.options.idlePollMs);
      }
    }
  }

  /**
   * Waits for the next poll, or less when messages put back by a rate limit become due sooner:
   * their next grant is then used at once and the pace stays close to the configured rate.
   */
  private async idle(): Promise<void> {
    const poll = this.inFlight >= this.deps.options.maxInFlight ? 20 : this.deps.options.idlePollMs;
    const untilRetry = this.nextRetryMs === undefined ? poll : Math.max(10, this.nextRetryMs - this.deps.clock().getTime());
    this.nextRetryMs = undefined;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.min(poll, untilRetry));
      this.wake = () => (clearTimeout(timer), resolve());
    });
    this.wake = undefined;
  }

  /** Step 1 (at most every idlePollMs, 250 ms or more): which deliveries run, compiled once each; finished ones are closed. */
  private async refreshDeliveries(): Promise<void> {
    // housekeeping runs on the real clock; `now` (injectable) is the business time of claims and retries
    if (Date.now() - this.refreshedAt < Math.max(250, this.deps.options.idlePollMs)) return;
    this.refreshedAt = Date.now();
    const now = this.deps.clock();
    const active = await sendingDeliveries(this.deps.db, now);
    const ids = new Set(active.map((d) => d.id));
    for (const [id, run] of this.running) {
      if (run.active && !ids.has(id)) this.deps.throttle.forgetBacklog();
      run.active = ids.has(id);
      if (!run.active && run.inFlight === 0) this.running.delete(id);
    }
    for (const id of await pauseRequested(this.deps.db)) {
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

  /** Step 2: claim due messages, deliveries in priority order. */
  private async claim(): Promise<ClaimedMessage[]> {
    const now = this.deps.clock();
    const until = new Date(now.getTime() + this.deps.options.leaseSeconds * 1000);
    const out: ClaimedMessage[] = [];
    for (const run of this.running.values()) {
      if (!run.active) continue;
      const room = Math.min(this.deps.options.claimBatch, this.deps.options.maxInFlight - this.inFlight) - out.length;
      if (room <= 0) break;
      const rows = await claimDue(this.deps.db, { deliveryId: run.delivery.id, owner: this.deps.owner, now, until, limit: room });
      // retries were due and are now being sent: recovery in progress
      if (rows.length > 0 && run.delivery.state === 'recovery_pending') await this.move(run.delivery, lifecycle.beginRecovery);
      if (rows.length === 0 && run.inFlight === 0) await this.closeIfDone(run, now);
      out.push(...rows);
    }
    this.counters.claimed += out.length;
    return out;
  }

  /**
   * A campaign whose queue is empty is finished; one whose pending messages all wait for a later
   * retry is recovery pending; retries due but held by another MTA are recovery in progress. A
   * transactional delivery stays open while events may still arrive: it closes at its validity end
   * (the workflow server's delivery scheduler).
   */
  private async closeIfDone(run: Running, now: Date): Promise<void> {
    if (this.deps.writer.queued > 0 || run.delivery.kind === 'transactional') return;
    const { pending, due } = await pendingCounts(this.deps.db, run.delivery.id, now);
    if (pending === 0) await this.move(run.delivery, lifecycle.finish, { finishedAt: now });
    else if (due === 0 && run.delivery.state !== 'recovery_pending') await this.move(run.delivery, lifecycle.awaitRetries);
    else if (due > 0 && run.delivery.state === 'recovery_pending') await this.move(run.delivery, lifecycle.beginRecovery);
  }

  /** A lifecycle step from the state last read (compare-and-set): a delivery paused or stopped meanwhile is left alone. */
  private async move(delivery: Pick<ActiveDelivery, 'id' | 'state'>, step: LifecycleStep, set: StateChangeValues = {}): Promise<void> {
    const change = await changeDeliveryState(this.deps.db, { id: delivery.id, from: delivery.state, step, now: this.deps.clock(), set });
    if (!change.ok) return;
    this.deps.log.info('MTA_DELIVERY_STATE', { deliveryId: delivery.id, from: change.from, to: change.to });
    delivery.state = change.to;
  }

  /** Step 3: send-time checks and recipients for the whole batch; step 4: build; then each message on its own. */
  private async dispatch(claimed: ClaimedMessage[]): Promise<void> {
    const batch = await loadBatch(
      this.deps.db,
      claimed,
      (id) => this.running.get(id)?.delivery.serviceId ?? null,
      (id) => this.running.get(id)?.delivery.kind === 'transactional',
    );
    const built = this.buildAll(
      claimed.filter((m) => !batch.blocked.has(m.id)),
      batch,
    );
    const perKey = new Map<string, number>();
    for (const m of claimed) {
      this.inFlight++;
      this.leased.add(m.id);
      const run = this.running.get(m.deliveryId);
      if (run) run.inFlight++;
      const domain = addressDomain(m.address);
      perKey.set(domain, (perKey.get(domain) ?? 0) + 1);
      void this.process(m, batch, built.get(m.id), perKey)
        .catch((err: unknown) => this.localError(m, err))
        .finally(() => {
          this.inFlight--;
          this.leased.delete(m.id);
          if (run) run.inFlight--;
          if (this.inFlight < this.deps.options.maxInFlight) this.wake?.();
        });
    }
  }

  private async process(
    m: ClaimedMessage,
    batch: BatchData,
    message: PreparedMessage | BuildError | undefined,
    pendingPerDomain: Map<string, number>,
  ): Promise<void> {
    const writer = this.deps.writer;
    const blocked = batch.blocked.get(m.id);
    if (blocked) return writer.add({ id: m.id, deliveryId: m.deliveryId, status: 'ignored', type: 'ignored', reason: blocked.reason, text: blocked.text });
    const run = this.running.get(m.deliveryId);
    if (!run?.active || this.stopping || !message) return writer.add({ id: m.id, deliveryId: m.deliveryId, status: 'postponed', nextAttemptAt: null });
    if ('error' in message) return this.buildFailed(m, message);
    const sent = await this.transmit(m, message, pendingPerDomain);
    if (!sent) return;
    const settled = settleOutcome(
      sent.outcome,
      { id: m.id, deliveryId: m.deliveryId, address: m.address, attempts: m.attempts, validityEnd: run.delivery.validityEnd },
      this.deps.classify,
      this.deps.retry,
      this.deps.clock(),
      { connectionRetryAt: sent.connectionRetryAt },
    );
    const status = settled.settlement.status === 'sent' ? 'sent' : settled.settlement.status === 'deferred' ? 'deferred' : 'failed';
    this.counters[status]++;
    this.countOutcome(status, sent.rule ?? this.ruleOf(m), settled.failure?.reason);
    return writer.add(settled.settlement, settled.failure && { broadLogId: m.id, deliveryId: m.deliveryId, address: m.address, ...settled.failure });
  }

  /**
   * Steps 5–7: resolve the destination, admit through the throttle and the destination's back-off,
   * send. Returns undefined when the message was put back in the queue unattempted (rate limit,
   * blocked domain, destination backing off, delivery paused).
   */
  private async transmit(
    m: ClaimedMessage,
    message: PreparedMessage,
    pendingPerDomain: Map<string, number>,
  ): Promise<{ outcome: Outcome; connectionRetryAt?: Date; rule?: string } | undefined> {
    const domain = addressDomain(m.address);
    let destination: Destination;
    try {
      destination = await this.deps.resolve(domain);
    } catch (err) {
      const outcome = dnsOutcome(describeError(err), !(err instanceof DestinationError) || err.temporary);
      return {
        outcome,
        connectionRetryAt: outcome.kind === 'rejected' && outcome.temporary ? this.unreachable(`dns:${domain}`, domain, outcome.text) : undefined,
      };
    }
    const postpone = (at: Date | null): undefined => void this.deps.writer.add({ id: m.id, deliveryId: m.deliveryId, status: 'postponed', nextAttemptAt: at });
    const target = destinationKey(destination);
    const gate = this.deps.backoff.gate(target, this.deps.clock().getTime());
    if (gate.kind === 'wait') {
      this.deps.metrics?.backoffWait();
      this.nextRetryMs = Math.min(this.nextRetryMs ?? Infinity, gate.untilMs);
      return postpone(new Date(gate.untilMs));
    }
    const limits = limitsFor(this.deps.rules, domain, destination.mxNames);
    const admission = await this.deps.throttle.admit(limits, pendingPerDomain.get(domain) ?? 1, this.deps.clock(), domain);
    pendingPerDomain.set(domain, Math.max(0, (pendingPerDomain.get(domain) ?? 1) - 1));
    if (!admission.ok) {
      this.deps.metrics?.throttled(limits.rule.match, admission.blocked ? 'block' : 'wait');
      this.nextRetryMs = Math.min(this.nextRetryMs ?? Infinity, admission.retryAtMs);
      return postpone(new Date(admission.retryAtMs));
    }
    if (!this.running.get(m.deliveryId)?.active) return postpone(null);
    if (gate.kind === 'probe') this.deps.backoff.started(target);
    const sessions = this.deps.transport.openSessions(limits.key);
    const session = {
      key: limits.key,
      maxConnections: this.deps.throttle.maxConnections(limits),
      maxMessagesPerConnection: limits.rule.maxMessagesPerConnection,
    };
    const outcome = await this.deps.transport.send({ broadLogId: m.id, deliveryId: m.deliveryId, ...message }, destination, session);
    const rejected = outcome.kind === 'rejected' ? outcome : undefined;
    const unreachable = rejected?.temporary === true && rejected.sessionFailure;
    this.deps.writer.count({
      domain,
      connection: this.deps.transport.openSessions(limits.key) > sessions,
      sent: !rejected,
      response: rejected?.text,
      refused: rejected?.phase === 'connect',
      timeout: rejected !== undefined && /timeout|timed out/i.test(rejected.text),
      softError: rejected?.temporary === true,
      hardError: rejected?.temporary === false,
      firstAttempt: !unreachable && m.attempts === 0,
      recovered: !rejected && m.attempts > 0,
    });
    if (unreachable) return { outcome, connectionRetryAt: this.unreachable(target, domain, rejected.text), rule: limits.rule.match };
    const lastedMs = this.deps.backoff.reached(target, this.deps.clock().getTime());
    if (lastedMs !== undefined) this.deps.log.info('MTA_DOMAIN_REACHABLE', { domain, destination: target, afterMs: lastedMs });
    this.deps.throttle.observe(domain, rejected?.temporary === true);
    return { outcome, rule: limits.rule.match };
  }

  /** A connection-level failure: the destination backs off; returns when its messages may go again. */
  private unreachable(target: string, domain: string, text: string): Date {
    const now = this.deps.clock().getTime();
    const { retryAtMs, started } = this.deps.backoff.failed(target, now);
    if (started) this.deps.log.warn('MTA_DOMAIN_BACKOFF', { domain, destination: target, retryInMs: retryAtMs - now, err: text });
    this.nextRetryMs = Math.min(this.nextRetryMs ?? Infinity, retryAtMs);
    return new Date(retryAtMs);
  }

  /**
   * An unexpected local error while handling a message (the database refusing a write, a full
   * disk under the capture spool…): the message goes back to the queue unattempted, a little later.
   */
  private async localError(m: ClaimedMessage, err: unknown): Promise<void> {
    this.deps.log.error('MTA_MESSAGE_ERROR', { deliveryId: m.deliveryId, broadLogId: m.id, err: describeError(err) });
    await this.deps.writer.add({
      id: m.id,
      deliveryId: m.deliveryId,
      status: 'postponed',
      nextAttemptAt: new Date(this.deps.clock().getTime() + LOCAL_ERROR_DELAY_MS),
    });
  }

  /** Step 4: personalize and build, one call per delivery for the whole batch (compiled once per delivery). */
  private buildAll(messages: readonly ClaimedMessage[], batch: BatchData): Map<number, PreparedMessage | BuildError> {
    const out = new Map<number, PreparedMessage | BuildError>();
    for (const [deliveryId, list] of groupBy(messages, (m) => m.deliveryId)) {
      const compiled = this.running.get(deliveryId)?.compiled;
      if (!compiled) continue; // the delivery stopped running: its messages go back to the queue
      if (compiled instanceof Error) {
        for (const m of list) out.set(m.id, { reason: 'unreachable', error: `the delivery cannot be built: ${describeError(compiled)}` });
        continue;
      }
      const results = compiled.build(
        list.map((message) => ({ message, recipient: batch.recipients.get(message.recipientId ?? -1), event: batch.events.get(message.id) })),
        this.deps.clock(),
      );
      list.forEach((m, i) => out.set(m.id, results[i]!));
    }
    return out;
  }

  /** A message that could not be personalized or built fails alone, without touching the quarantine. */
  private buildFailed(m: ClaimedMessage, failure: BuildError): void {
    const text = `personalization or build error: ${failure.error}`.slice(0, 1000);
    this.deps.log.warn('MTA_BUILD_FAILED', { deliveryId: m.deliveryId, broadLogId: m.id, err: failure.error });
    void this.deps.writer.add({ id: m.id, deliveryId: m.deliveryId, status: 'failed', type: 'soft', reason: failure.reason, text });
    this.counters.failed++;
    this.countOutcome('failed', this.ruleOf(m), failure.reason);
  }

  /** The domain rule of a message whose destination is unknown (DNS failed, not built): by its domain alone. */
  private ruleOf(m: ClaimedMessage): string {
    return limitsFor(this.deps.rules, addressDomain(m.address)).rule.match;
  }

  private countOutcome(status: 'sent' | 'failed' | 'deferred', rule: string, reason: string | undefined): void {
    const metrics = this.deps.metrics;
    if (!metrics) return;
    if (status === 'sent') metrics.sent(rule);
    else metrics[status](rule, reason ?? 'not_defined');
  }
}
