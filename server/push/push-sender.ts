import { setTimeout as sleep } from 'node:timers/promises';
import { recordFailuresIn } from '../bounce/record-failures.js';
import type { QuarantinePolicy } from '../bounce/quarantine-policy.js';
import type { Database } from '../db/connect.js';
import { loadBatch } from '../db/repos/message-recipients.js';
import { settle, stillLeased, type ClaimedMessage } from '../db/repos/mta-queue.js';
import { expireSubscriptions, subscriptionIdOf, subscriptionsByIds } from '../db/repos/push.js';
import type { BuildFailure } from '../delivery/build-message.js';
import type { CompiledDelivery } from '../delivery/compile-delivery.js';
import { LeasedDeliveries } from '../delivery/leased-deliveries.js';
import { buildPushMessages, type BuiltPush } from '../delivery/push/build-push.js';
import { describeError } from '../shared/errors.js';
import type { FailureReason } from '../shared/glossary.js';
import type { Logger } from '../shared/logger.js';
import { pushOutcome, type PushOutcome } from './push-outcome.js';
import type { PushSend } from './web-push-client.js';

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

export class PushSender {
  private readonly deliveries: LeasedDeliveries;
  private readonly leased = new Set<number>();
  private stopping = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  readonly counters = { claimed: 0, sent: 0, failed: 0, deferred: 0, expired: 0 };

  constructor(private readonly deps: PushSenderDeps) {
    const { db, log, owner, compile, clock, options } = deps;
    const common = { db, log, owner, compile, clock, leaseSeconds: options.leaseSeconds };
    this.deliveries = new LeasedDeliveries({ ...common, channel: 'push', stateEvent: 'PUSH_DELIVERY_STATE', refreshEveryMs: 0 });
  }

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
    return { inFlight: this.leased.size, deliveries: this.deliveries.runs.size, ...this.counters };
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.deliveries.refresh();
        const claimed = await this.deliveries.claim(this.deps.options.claimBatch);
        this.counters.claimed += claimed.length;
        for (const m of claimed) this.leased.add(m.id);
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
      (id) => this.deliveries.runs.get(id)?.delivery.serviceId ?? null,
      (id) => this.deliveries.runs.get(id)?.delivery.kind === 'transactional',
      'push',
    );
    const subscriptions = await subscriptionsByIds(
      db,
      claimed.flatMap((m) => subscriptionIdOf(m.address) ?? []),
    );
    const built = this.deliveries.buildAll<BuiltPush>(
      claimed.filter((m) => !batch.blocked.has(m.id)),
      batch.recipients,
      batch.events,
      buildPushMessages,
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
}
