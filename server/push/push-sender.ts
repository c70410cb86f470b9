import { setTimeout as sleep } from 'node:timers/promises';
import { recordFailuresIn } from '../bounce/record-failures.js';
import type { QuarantinePolicy } from '../bounce/quarantine-policy.js';
import type { Database } from '../db/connect.js';
import type { Recipient } from '../db/models/index.js';
import { changeDeliveryState, type LifecycleStep, type StateChangeValues } from '../db/repos/delivery-state.js';
import { loadBatch } from '../db/repos/message-recipients.js';
import {
  claimDue,
  pauseRequested,
  pendingCounts,
  sendingDeliveries,
  settle,
  stillLeased,
  type ActiveDelivery,
  type ClaimedMessage,
} from '../db/repos/mta-queue.js';
import { expireSubscriptions, subscriptionIdOf, subscriptionsByIds } from '../db/repos/push.js';
import type { BuildFailure, MessageRecipient } from '../delivery/build-message.js';
import type { CompiledDelivery } from '../delivery/compile-delivery.js';
import * as lifecycle from '../delivery/lifecycle.js';
import { buildPushMessages, type BuiltPush } from '../delivery/push/build-push.js';
import { describeError } from '../shared/errors.js';
import type { FailureReason } from '../shared/glossary.js';
import type { Logger } from '../shared/logger.js';
import { pushOutcome, type PushOutcome } from './push-outcome.js';
import type { PushSend } from './web-push-client.js';
import { groupBy } from '../shared/group-by.js';

/**
 * The push send loop, in named steps like the MTA's, on the MTA's leased queue: refresh the running
 * push deliveries (compiled once each) → claim due messages (lease) → send-time checks (opt-out,
 * the subscription's quarantine, a subscription expired since the analysis) → build (title, body,
 * tracked links) → send every notification of the batch (at most maxInFlight at once) → commit the
 * batch's outcomes in one transaction, only for the messages still leased to this process. A crash
 * before the commit leaves the batch leased: the next start frees and sends it again (duplicates
 * at most one batch).
 */

export interface PushSenderDeps {
  db: Database;
  log: Logger;
  owner: string;
  send: PushSend;
  compile: (deliveryId: number) => Promise<CompiledDelivery>;
  clock: () => Date;
  policy: () => QuarantinePolicy;
  options: { claimBatch: number; maxInFlight: number; leaseSeconds: number; idlePollMs: number; retryDelaySec: number };
}

interface Running {
  delivery: ActiveDelivery;
  compiled?: CompiledDelivery | Error;
}

export class PushSender {
  private readonly running = new Map<number, Running>();
  private readonly leased = new Set<number>();
  private stopping = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  readonly counters = { claimed: 0, sent: 0, failed: 0, deferred: 0, expired: 0 };

  constructor(private readonly deps: PushSenderDeps) {}

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
  }

  leasedIds(): number[] {
    return [...this.leased];
  }

  status(): Record<string, unknown> {
    return { inFlight: this.leased.size, deliveries: this.running.size, ...this.counters };
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.refreshDeliveries();
        const claimed = await this.claim();
        if (claimed.length > 0) await this.process(claimed);
        else await this.idle();
      } catch (err) {
        this.deps.log.error('PUSH_LOOP_ERROR', { err: describeError(err) });
        await sleep(this.deps.options.idlePollMs);
      }
    }
  }

  private async idle(): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.deps.options.idlePollMs);
      this.wake = () => (clearTimeout(timer), resolve());
    });
    this.wake = undefined;
  }

  /** Step 1: which push deliveries run, compiled once each; pauses acknowledged. */
  private async refreshDeliveries(): Promise<void> {
    const now = this.deps.clock();
    const active = await sendingDeliveries(this.deps.db, now, 'push');
    const ids = new Set(active.map((d) => d.id));
    for (const id of this.running.keys()) if (!ids.has(id)) this.running.delete(id);
    for (const id of await pauseRequested(this.deps.db, 'push')) await this.move({ id, state: 'pause_requested' }, lifecycle.pauseTaken);
    for (const delivery of active) {
      const run = this.running.get(delivery.id) ?? { delivery };
      run.delivery = delivery;
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
      const room = this.deps.options.claimBatch - out.length;
      if (room <= 0) break;
      const rows = await claimDue(this.deps.db, { deliveryId: run.delivery.id, owner: this.deps.owner, now, until, limit: room });
      if (rows.length > 0 && run.delivery.state === 'recovery_pending') await this.move(run.delivery, lifecycle.beginRecovery);
      if (rows.length === 0) await this.closeIfDone(run, now);
      out.push(...rows);
    }
    this.counters.claimed += out.length;
    for (const m of out) this.leased.add(m.id);
    return out;
  }

  private async closeIfDone(run: Running, now: Date): Promise<void> {
    if (run.delivery.kind === 'transactional') return;
    const { pending, due } = await pendingCounts(this.deps.db, run.delivery.id, now);
    if (pending === 0) await this.move(run.delivery, lifecycle.finish, { finishedAt: now });
    else if (due === 0 && run.delivery.state !== 'recovery_pending') await this.move(run.delivery, lifecycle.awaitRetries);
  }

  private async move(delivery: Pick<ActiveDelivery, 'id' | 'state'>, step: LifecycleStep, set: StateChangeValues = {}): Promise<void> {
    const change = await changeDeliveryState(this.deps.db, { id: delivery.id, from: delivery.state, step, now: this.deps.clock(), set });
    if (!change.ok) return;
    this.deps.log.info('PUSH_DELIVERY_STATE', { deliveryId: delivery.id, from: change.from, to: change.to });
    delivery.state = change.to;
  }

  /** Steps 3–6 for a claimed batch: checks, build, send, commit. */
  private async process(claimed: ClaimedMessage[]): Promise<void> {
    try {
      const outcomes = await this.sendAll(claimed);
      await this.commit(outcomes);
    } finally {
      for (const m of claimed) this.leased.delete(m.id);
    }
  }

  private async sendAll(claimed: readonly ClaimedMessage[]): Promise<PushOutcome[]> {
    const { db, options } = this.deps;
    const batch = await loadBatch(
      db,
      claimed,
      (id) => this.running.get(id)?.delivery.serviceId ?? null,
      (id) => this.running.get(id)?.delivery.kind === 'transactional',
      'push',
    );
    const subscriptions = await subscriptionsByIds(
      db,
      claimed.flatMap((m) => subscriptionIdOf(m.address) ?? []),
    );
    const built = this.buildAll(
      claimed.filter((m) => !batch.blocked.has(m.id)),
      batch.recipients,
      batch.events,
    );
    const outcomes: PushOutcome[] = [];
    const queue = [...claimed];
    const worker = async () => {
      for (let m = queue.shift(); m; m = queue.shift()) outcomes.push(await this.one(m, batch.blocked.get(m.id), subscriptions, built.get(m.id)));
    };
    await Promise.all(Array.from({ length: Math.min(options.maxInFlight, claimed.length) }, worker));
    return outcomes;
  }

  private async one(
    m: ClaimedMessage,
    blocked: { reason: FailureReason; text: string } | undefined,
    subscriptions: Awaited<ReturnType<typeof subscriptionsByIds>>,
    message: BuiltPush | BuildFailure | undefined,
  ): Promise<PushOutcome> {
    const base = { id: m.id, deliveryId: m.deliveryId };
    if (blocked) return { settlement: { ...base, status: 'ignored', type: 'ignored', reason: blocked.reason, text: blocked.text } };
    const id = subscriptionIdOf(m.address);
    const subscription = id === undefined ? undefined : subscriptions.get(id);
    if (!subscription || subscription.status !== 'active')
      return { settlement: { ...base, status: 'ignored', type: 'ignored', reason: 'quarantined', text: 'push subscription expired since the analysis' } };
    if (this.stopping || !message) return { settlement: { ...base, status: 'postponed', nextAttemptAt: null } };
    if (!message.ok) {
      this.deps.log.warn('PUSH_BUILD_FAILED', { deliveryId: m.deliveryId, broadLogId: m.id, err: message.error });
      return { settlement: { ...base, status: 'failed', type: 'soft', reason: message.reason, text: message.error.slice(0, 1000) } };
    }
    const keys = { p256dh: subscription.p256dh, auth: subscription.auth };
    const answer = await this.deps.send({ endpoint: subscription.endpoint, keys }, message.json, message.headers);
    return pushOutcome(m, subscription.id, answer, this.deps.clock(), this.deps.options.retryDelaySec);
  }

  /** Step 6: one transaction for the batch, for the messages still leased to this process. */
  private async commit(all: readonly PushOutcome[]): Promise<void> {
    const { db, owner, log } = this.deps;
    const now = this.deps.clock();
    await db.write(async (transaction) => {
      const held = await stillLeased(
        db,
        owner,
        all.map((o) => o.settlement.id),
        transaction,
      );
      if (held.size < all.length) log.warn('PUSH_LEASES_LOST', { count: all.length - held.size, owner });
      const outcomes = all.filter((o) => held.has(o.settlement.id));
      const failures = outcomes.flatMap((o) => (o.failure ? [o.failure] : []));
      if (failures.length) await recordFailuresIn(db, failures, now, this.deps.policy(), transaction, 'push');
      const recorded = new Set(failures.map((f) => f.broadLogId));
      for (const o of outcomes) if (o.settlement.status === 'failed' && recorded.has(o.settlement.id)) o.settlement.failureRecorded = true;
      const gone = outcomes.flatMap((o) => (o.expire ? [o.expire] : []));
      if (gone.length) await expireSubscriptions(db, gone, now, transaction);
      await settle(
        db,
        owner,
        outcomes.map((o) => o.settlement),
        now,
        transaction,
      );
      for (const o of outcomes) {
        const s = o.settlement.status;
        if (s === 'sent') this.counters.sent++;
        else if (s === 'deferred') this.counters.deferred++;
        else if (s === 'failed') this.counters.failed++;
      }
      this.counters.expired += gone.length;
      for (const g of gone) log.info('PUSH_SUBSCRIPTION_EXPIRED', { subscriptionId: g.id });
    });
  }

  private buildAll(
    messages: readonly ClaimedMessage[],
    recipients: ReadonlyMap<number, Recipient>,
    events: ReadonlyMap<number, Record<string, unknown>>,
  ): Map<number, BuiltPush | BuildFailure> {
    const out = new Map<number, BuiltPush | BuildFailure>();
    const byDelivery = groupBy(messages, (m) => m.deliveryId);
    for (const [deliveryId, list] of byDelivery) {
      const compiled = this.running.get(deliveryId)?.compiled;
      if (!compiled) continue;
      if (compiled instanceof Error) {
        for (const m of list) out.set(m.id, { ok: false, reason: 'unreachable', error: `the delivery cannot be built: ${describeError(compiled)}` });
        continue;
      }
      const results = buildPushMessages(
        compiled,
        list.map((m) => ({ recipient: personalization(recipients.get(m.recipientId ?? -1)), log: m, event: events.get(m.id) })),
      );
      list.forEach((m, i) => out.set(m.id, results[i]!));
    }
    return out;
  }
}

const personalization = (r: Recipient | undefined): MessageRecipient =>
  r
    ? { id: r.id, email: r.email, firstName: r.firstName, lastName: r.lastName, emailFormat: r.emailFormat, fields: r.fields ?? null }
    : { id: null, email: '', firstName: null, lastName: null, emailFormat: 'text', fields: null };
