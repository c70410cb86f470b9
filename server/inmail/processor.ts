import { setTimeout as sleep } from 'node:timers/promises';
import type { QuarantinePolicy } from '../bounce/quarantine-policy.js';
import type { Database } from '../db/connect.js';
import { ping } from '../db/health.js';
import { broadLogsByIds } from '../db/repos/broad-log-failures.js';
import { deliveryServiceIds } from '../db/repos/subscriptions.js';
import { describeError, isStorageFull } from '../shared/errors.js';
import { clearProblem, reportProblem } from '../shared/health.js';
import type { Logger } from '../shared/logger.js';
import type { InmailMetrics } from './metrics.js';
import { applyPlans, type KeptFile, type PlanSource } from './apply-effects.js';
import { matchMessage, type MatchKeys } from './match.js';
import type { ParserPool } from './parser-pool.js';
import { planEffects, type Inbound, type Plan } from './plan-effects.js';
import type { Spool, SpoolEntry } from './spool.js';

/**
 * Processing after the 250: spooled messages are taken in batches, parsed in the worker pool,
 * matched, planned and written in one transaction per batch; only then are their spool files
 * removed. Parsing the next batch overlaps the write of the current one. A failed write leaves
 * the batch in the spool and is retried with backoff.
 */

export interface ProcessorDeps {
  db: Database;
  spool: Spool;
  parser: ParserPool;
  keys: MatchKeys;
  policy: QuarantinePolicy;
  batchSize: number;
  log: Logger;
  now?: () => Date;
  /** Counts what processing made of each message, for the metrics. */
  metrics?: Pick<InmailMetrics, 'planned'>;
}

const MAX_IN_MEMORY = 2000;

interface Prepared {
  entries: SpoolEntry[];
  inbounds: Inbound[];
  raws: Buffer[];
}

export interface ProcessorStatus {
  queued: number;
  processed: number;
  kept: number;
}

/** What became of a message: its effects applied, kept for review, or parked (its effects could not be stored). */
export type SettledOutcome = 'processed' | 'unrecognised' | 'parked';
export interface SettledMessage {
  entry: SpoolEntry;
  outcome: SettledOutcome;
}

export class Processor {
  private readonly queue: SpoolEntry[] = [];
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly counts = { processed: 0, kept: 0 };
  private readonly idleWaiters: Array<() => void> = [];
  private readonly stopping = new AbortController();
  private readonly now: () => Date;
  private readonly listeners: Array<(settled: readonly SettledMessage[]) => void> = [];

  constructor(private readonly deps: ProcessorDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  enqueue(entries: SpoolEntry | readonly SpoolEntry[]): void {
    for (const entry of Array.isArray(entries) ? entries : [entries as SpoolEntry]) {
      // A long queue (database down) keeps only file names in memory: messages are read back from the spool.
      if (this.queue.length >= MAX_IN_MEMORY) delete entry.raw;
      this.queue.push(entry);
    }
    if (!this.stopped) this.running ??= this.run().finally(() => (this.running = undefined));
  }

  /** Calls `listener` with every message whose processing ended (after its transaction committed). */
  onSettled(listener: (settled: readonly SettledMessage[]) => void): void {
    this.listeners.push(listener);
  }

  private settle(settled: readonly SettledMessage[]): void {
    for (const listener of this.listeners) listener(settled);
  }

  status(): ProcessorStatus {
    return { queued: this.queue.length, ...this.counts };
  }

  /** Resolves when every queued message has been processed (tests, benchmarks). */
  idle(): Promise<void> {
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops taking batches; the batch in progress finishes. Unprocessed messages stay spooled. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    await this.running;
  }

  private take(): SpoolEntry[] {
    return this.queue.splice(0, this.deps.batchSize);
  }

  private async run(): Promise<void> {
    let retryMs = 1000;
    let next: Promise<Prepared> | undefined;
    for (;;) {
      const batch = next ?? (this.queue.length > 0 && !this.stopped ? this.prepare(this.take()) : undefined);
      next = undefined;
      if (!batch) break;
      const prepared = await batch;
      if (this.queue.length > 0 && !this.stopped) next = this.prepare(this.take());
      const retry = await this.commitOrIsolate(prepared);
      if (retry.length === 0) {
        retryMs = 1000;
        continue;
      }
      const pending = next ? (await next).entries : [];
      next = undefined;
      this.queue.unshift(...retry, ...pending);
      if (this.stopped) break;
      await sleep(retryMs, undefined, { signal: this.stopping.signal }).catch(() => undefined);
      retryMs = Math.min(retryMs * 2, 30_000);
    }
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /**
   * Commits a batch. When that fails while the database answers, one message is to blame: the
   * messages are committed one by one and the ones that still fail are parked in the spool's
   * kept/ folder (logged, never deleted) so they cannot block the others. Returns the messages to
   * retry later, when the database itself is failing or the disk is full (none otherwise).
   */
  private async commitOrIsolate(prepared: Prepared): Promise<SpoolEntry[]> {
    try {
      await this.commit(prepared);
      clearProblem('database');
      return [];
    } catch (err) {
      const healthy = await ping(this.deps.db);
      const full = isStorageFull(err);
      this.deps.log.error('INMAIL_BATCH_FAILED', { messages: prepared.entries.length, databaseUp: healthy, storageFull: full, err: describeError(err) });
      // A full disk or an unreachable database is nobody's message's fault: the batch waits in the spool.
      if (!healthy || full) {
        reportProblem('database', `${full ? 'storage full' : 'database unreachable'}: ${describeError(err)}`);
        return prepared.entries;
      }
    }
    for (const [i, entry] of prepared.entries.entries()) {
      const single = { entries: [entry], inbounds: [prepared.inbounds[i]!], raws: [prepared.raws[i]!] };
      try {
        await this.commit(single);
      } catch (err) {
        if (isStorageFull(err)) return prepared.entries.slice(i);
        const file = await this.deps.spool.park(entry).catch(() => entry.file ?? entry.journal?.segment);
        this.deps.log.error('INMAIL_MESSAGE_PARKED', { spoolId: entry.id, file, err: describeError(err) });
        this.settle([{ entry, outcome: 'parked' }]);
      }
    }
    return [];
  }

  private async prepare(entries: SpoolEntry[]): Promise<Prepared> {
    const raws = await Promise.all(entries.map((e) => this.deps.spool.read(e).catch(() => Buffer.alloc(0))));
    for (const entry of entries) delete entry.raw;
    const outcomes = await Promise.all(raws.map((raw) => this.deps.parser.parse(raw)));
    const nowSeconds = Math.floor(this.now().getTime() / 1000);
    const inbounds = entries.map((entry, i): Inbound => {
      const outcome = outcomes[i]!;
      const references = outcome.ok ? outcome.analysis.parsed.references : [];
      return {
        spoolId: entry.id,
        envelope: entry.envelope,
        size: raws[i]!.length,
        outcome,
        match: matchMessage(entry.envelope.rcptTo, references, this.deps.keys, nowSeconds),
      };
    });
    return { entries, inbounds, raws };
  }

  private async plan(inbounds: readonly Inbound[]): Promise<Plan[]> {
    const ids = inbounds.flatMap((i) => (i.match.kind === 'verp' || i.match.kind === 'reference' ? [i.match.ids.broadLogId] : []));
    const broadLogs = await broadLogsByIds(this.deps.db, ids);
    const services = await deliveryServiceIds(
      this.deps.db,
      [...broadLogs.values()].map((b) => b.deliveryId),
    );
    return inbounds.map((inbound) => planEffects(inbound, { broadLogs, services }));
  }

  private async commit({ entries, inbounds, raws }: Prepared): Promise<void> {
    const plans = await this.plan(inbounds);
    const kept: KeptFile[] = [];
    for (const [i, plan] of plans.entries())
      if (plan.keep) kept.push({ inbound: inbounds[i]!, plan, spoolFile: await this.deps.spool.keep(entries[i]!, raws[i]!) });
    const sources = entries.map((e, i): PlanSource => {
      const source = e.envelope.source;
      return source ? { ...source, spoolId: e.id, outcome: plans[i]!.keep ? 'unrecognised' : 'processed' } : undefined;
    });
    const applied = await applyPlans(this.deps.db, plans, kept, this.now(), this.deps.policy, sources);
    await this.deps.spool.removeAll(entries);
    this.counts.processed += entries.length;
    this.counts.kept += kept.length;
    this.report(plans);
    this.deps.log.info('INMAIL_BATCH_APPLIED', { messages: entries.length, kept: kept.length, ...applied });
    this.settle(entries.map((entry, i) => ({ entry, outcome: plans[i]!.keep ? 'unrecognised' : 'processed' })));
  }

  private report(plans: readonly Plan[]): void {
    const log = this.deps.log;
    for (const plan of plans) {
      this.deps.metrics?.planned(plan);
      const base = { spoolId: plan.spoolId };
      if (plan.keep) log.info('INMAIL_MESSAGE_KEPT', { ...base, ...plan.keep });
      else if (plan.matchedBy === 'unsubscribe')
        log.info('INMAIL_UNSUBSCRIBED', { ...base, recipientId: plan.unsubscribe?.recipientId, serviceId: plan.unsubscribe?.serviceId });
      else if (plan.unsubscribe && plan.unsubscribe.origin === 'complaint')
        log.info('INMAIL_COMPLAINT', { ...base, broadLogId: plan.failure?.broadLogId, denylisted: plan.failure?.denylist === true });
    }
  }
}
