import type { Database } from '../db/connect.js';
import type { Recipient } from '../db/models/index.js';
import { changeDeliveryState, type LifecycleStep, type StateChangeValues } from '../db/repos/delivery-state.js';
import { claimDue, pauseRequested, pendingCounts, renewLeases, sendingDeliveries, type ActiveDelivery, type ClaimedMessage } from '../db/repos/mta-queue.js';
import { describeError } from '../shared/errors.js';
import type { Channel } from '../shared/glossary.js';
import { groupBy } from '../shared/group-by.js';
import type { LogEvent } from '../shared/log-events.js';
import type { Logger } from '../shared/logger.js';
import type { BuildFailure, MessageItem, MessageRecipient } from './build-message.js';
import type { CompiledDelivery } from './compile-delivery.js';
import * as lifecycle from './lifecycle.js';

/**
 * The part of a leased sender that does not depend on its channel (the SMS and push modules share
 * it; the MTA keeps its own, with pacing and group commits of its own): which deliveries of the
 * channel run, each compiled once; pauses acknowledged and starts, recoveries and ends written
 * through the lifecycle; due messages claimed with a lease across them; each claimed batch built
 * with the channel's build function; and the renewal of the leases of the messages in flight.
 * The channel's step (send, then record the outcome) stays in its module.
 */

export interface LeasedRun {
  delivery: ActiveDelivery;
  compiled?: CompiledDelivery | Error;
  /** Messages of this delivery claimed and not yet settled. */
  inFlight: number;
  /** Still among the channel's sending deliveries (an inactive one leaves once its messages are settled). */
  active: boolean;
}

export interface LeasedDeliveriesDeps {
  db: Database;
  log: Logger;
  owner: string;
  channel: Channel;
  compile: (deliveryId: number) => Promise<CompiledDelivery>;
  clock: () => Date;
  leaseSeconds: number;
  /** Log event of a state change (fields: deliveryId, from, to). */
  stateEvent: LogEvent;
  /** Least time between two reads of the running deliveries (0: every round). */
  refreshEveryMs: number;
  /** Whether nothing the channel holds (a commit queue) could still settle messages: a delivery is closed only then. */
  settled?: () => boolean;
}

export class LeasedDeliveries {
  readonly runs = new Map<number, LeasedRun>();
  private refreshedAt = 0;

  constructor(private readonly deps: LeasedDeliveriesDeps) {}

  /** Step 1: which deliveries of the channel run, compiled once each; pauses acknowledged. Returns them (undefined: not read this round). */
  async refresh(): Promise<ActiveDelivery[] | undefined> {
    if (this.deps.refreshEveryMs > 0 && Date.now() - this.refreshedAt < this.deps.refreshEveryMs) return undefined;
    this.refreshedAt = Date.now();
    const { db, channel } = this.deps;
    const now = this.deps.clock();
    const active = await sendingDeliveries(db, now, channel);
    const ids = new Set(active.map((d) => d.id));
    for (const [id, run] of this.runs) {
      run.active = ids.has(id);
      if (!run.active && run.inFlight === 0) this.runs.delete(id);
    }
    for (const id of await pauseRequested(db, channel)) {
      if ((this.runs.get(id)?.inFlight ?? 0) > 0) continue;
      this.runs.delete(id);
      await this.move({ id, state: 'pause_requested' }, lifecycle.pauseTaken);
    }
    for (const delivery of active) {
      const run = this.runs.get(delivery.id) ?? { delivery, inFlight: 0, active: true };
      run.delivery = delivery;
      run.active = true;
      this.runs.set(delivery.id, run);
      if (delivery.state === 'start_pending') await this.move(delivery, lifecycle.beginSending, delivery.startedAt ? {} : { startedAt: now });
      if (!run.compiled) run.compiled = await this.deps.compile(delivery.id).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))));
    }
    return active;
  }

  /** Step 2: at most `limit` due messages, deliveries in priority order, leased to the owner; a delivery with nothing left is closed. */
  async claim(limit: number): Promise<ClaimedMessage[]> {
    const now = this.deps.clock();
    const until = new Date(now.getTime() + this.deps.leaseSeconds * 1000);
    const out: ClaimedMessage[] = [];
    for (const run of this.runs.values()) {
      if (!run.active) continue;
      const room = limit - out.length;
      if (room <= 0) break;
      const rows = await claimDue(this.deps.db, { deliveryId: run.delivery.id, owner: this.deps.owner, now, until, limit: room });
      if (rows.length > 0 && run.delivery.state === 'recovery_pending') await this.move(run.delivery, lifecycle.beginRecovery);
      if (rows.length === 0 && run.inFlight === 0) await this.closeIfDone(run, now);
      out.push(...rows);
    }
    return out;
  }

  /** Step 3: the messages of a batch built by the channel's build function, per delivery; a delivery that does not compile fails its messages. */
  buildAll<B>(
    messages: readonly ClaimedMessage[],
    recipients: ReadonlyMap<number, Recipient>,
    events: ReadonlyMap<number, Record<string, unknown>>,
    build: (compiled: CompiledDelivery, items: MessageItem[]) => Array<B | BuildFailure>,
  ): Map<number, B | BuildFailure> {
    const out = new Map<number, B | BuildFailure>();
    for (const [deliveryId, list] of groupBy(messages, (m) => m.deliveryId)) {
      const compiled = this.runs.get(deliveryId)?.compiled;
      if (!compiled) continue;
      if (compiled instanceof Error) {
        for (const m of list) out.set(m.id, { ok: false, reason: 'unreachable', error: `the delivery cannot be built: ${describeError(compiled)}` });
        continue;
      }
      const results = build(
        compiled,
        list.map((m) => ({ recipient: personalization(recipients.get(m.recipientId ?? -1)), log: m, event: events.get(m.id) })),
      );
      list.forEach((m, i) => out.set(m.id, results[i]!));
    }
    return out;
  }

  private async closeIfDone(run: LeasedRun, now: Date): Promise<void> {
    if (run.delivery.kind === 'transactional' || !(this.deps.settled?.() ?? true)) return;
    const { pending, due } = await pendingCounts(this.deps.db, run.delivery.id, now);
    if (pending === 0) await this.move(run.delivery, lifecycle.finish, { finishedAt: now });
    else if (due === 0 && run.delivery.state !== 'recovery_pending') await this.move(run.delivery, lifecycle.awaitRetries);
  }

  private async move(delivery: Pick<ActiveDelivery, 'id' | 'state'>, step: LifecycleStep, set: StateChangeValues = {}): Promise<void> {
    const change = await changeDeliveryState(this.deps.db, { id: delivery.id, from: delivery.state, step, now: this.deps.clock(), set });
    if (!change.ok) return;
    this.deps.log.info(this.deps.stateEvent, { deliveryId: delivery.id, from: change.from, to: change.to });
    delivery.state = change.to;
  }
}

/** How often the leases of the messages in flight are renewed (at most a third of the lease). */
const RENEW_MS = 10_000;

/**
 * Renews the leases of the messages a sender holds, so a slow peer does not let them run out
 * while the process lives (a killed process's leases run out and another start frees them).
 * Returns the function that stops it.
 */
export function renewLeasesOf(
  db: Database,
  owner: string,
  leasedIds: () => number[],
  options: { leaseSeconds: number; clock: () => Date; log: Logger; errorEvent: LogEvent },
): () => void {
  const timer = setInterval(
    () => {
      const until = new Date(options.clock().getTime() + options.leaseSeconds * 1000);
      renewLeases(db, owner, leasedIds(), until).catch((err: unknown) => options.log.warn(options.errorEvent, { err: describeError(err) }));
    },
    Math.min(RENEW_MS, (options.leaseSeconds * 1000) / 3),
  );
  timer.unref();
  return () => clearInterval(timer);
}

const personalization = (r: Recipient | undefined): MessageRecipient =>
  r
    ? { id: r.id, email: r.email, firstName: r.firstName, lastName: r.lastName, emailFormat: r.emailFormat, fields: r.fields ?? null }
    : { id: null, email: '', firstName: null, lastName: null, emailFormat: 'text', fields: null };
