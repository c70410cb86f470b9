import { performance } from 'node:perf_hooks';
import type { Database } from '../db/connect.js';
import type { Workflow } from '../db/models/index.js';
import { closeRun, journalSkipped, openRun, releaseLease, renewLease } from '../db/repos/workflows.js';
import { describeError } from '../shared/errors.js';
import type { WorkflowRunTrigger } from '../shared/glossary.js';
import type { Logger } from '../shared/logger.js';
import type { Clock } from './clock.js';
import { claimWorkflow } from './lease.js';

/**
 * One run of one workflow, as named steps: claim → journal the start → run the job while renewing
 * the lease → journal the end (status, counts, error, duration) → release. A failing job is
 * journaled and logged; it never stops the engine, and the next run proceeds as usual.
 */

export type Counts = Record<string, number>;

export interface RunContext {
  workflow: Workflow;
  runId: number;
  trigger: WorkflowRunTrigger;
  /** The time of this run (the schedule slot's run starts at the clock's now, not at the slot). */
  now: Date;
  /** Aborted when the module stops or the lease is lost: long jobs stop between batches. */
  signal: AbortSignal;
}

export type Job = (ctx: RunContext) => Promise<Counts | void>;

/** A job failure that still reports what was done before it (e.g. the cleanup steps that ran). */
export class JobFailure extends Error {
  constructor(
    override readonly cause: unknown,
    readonly counts: Counts,
  ) {
    super(describeError(cause));
  }
}

export interface RunnerDeps {
  db: Database;
  log: Logger;
  clock: Clock;
  owner: string;
  leaseMs: number;
  /** Told of every run that ended (for the metrics). */
  onRun?: (workflow: Workflow, status: 'succeeded' | 'failed', seconds: number) => void;
}

export interface RunSpec {
  workflow: Workflow;
  trigger: WorkflowRunTrigger;
  /** The schedule slot (schedule and catch-up runs): each slot runs once across every wfserver. */
  slot?: Date;
  requireActive: boolean;
  job: Job;
  signal?: AbortSignal;
}

export type RunOutcome =
  | { kind: 'ran'; runId: number; status: 'succeeded' | 'failed'; counts: Counts; error: string | null; durationMs: number }
  | { kind: 'skipped'; reason: string }
  | { kind: 'not-run'; reason: 'taken' | 'inactive' | 'busy'; holder?: string };

export async function runWorkflow(deps: RunnerDeps, spec: RunSpec): Promise<RunOutcome> {
  const { db, log, clock, owner, leaseMs } = deps;
  const wf = spec.workflow;
  const startedAt = clock.now();
  const claim = await claimWorkflow(db, { workflowId: wf.id, owner, now: startedAt, leaseMs, slot: spec.slot, requireActive: spec.requireActive });
  if (claim.kind === 'taken' || claim.kind === 'inactive') {
    log.debug('WF_RUN_NOT_NEEDED', { workflow: wf.name, reason: claim.kind, slot: spec.slot });
    return { kind: 'not-run', reason: claim.kind };
  }
  if (claim.kind === 'busy') {
    const reason = `previous run still in progress (held by ${claim.holder} until ${claim.until.toISOString()})`;
    if (!spec.slot) return { kind: 'not-run', reason: 'busy', holder: claim.holder };
    await journalSkipped(db, { workflowId: wf.id, trigger: spec.trigger, slot: spec.slot ?? null, owner, startedAt }, reason);
    log.warn('WF_RUN_SKIPPED', { workflow: wf.name, slot: spec.slot, holder: claim.holder });
    return { kind: 'skipped', reason };
  }
  return execute(deps, spec, startedAt);
}

async function execute(deps: RunnerDeps, spec: RunSpec, startedAt: Date): Promise<RunOutcome> {
  const { db, log, owner, leaseMs } = deps;
  const wf = spec.workflow;
  const controller = new AbortController();
  const onStop = () => controller.abort();
  spec.signal?.addEventListener('abort', onStop);
  const renewal = setInterval(() => void renew(deps, wf, controller), Math.max(1000, Math.floor(leaseMs / 3)));
  renewal.unref();
  const t0 = performance.now();
  let runId = 0;
  try {
    runId = await openRun(db, { workflowId: wf.id, trigger: spec.trigger, slot: spec.slot ?? null, owner, startedAt });
    log.info('WF_RUN_STARTED', { workflow: wf.name, runId, trigger: spec.trigger, slot: spec.slot });
    const counts = (await spec.job({ workflow: wf, runId, trigger: spec.trigger, now: startedAt, signal: controller.signal })) ?? {};
    return await finish(deps, wf, runId, { status: 'succeeded', counts, error: null, durationMs: Math.round(performance.now() - t0) });
  } catch (err) {
    const counts = err instanceof JobFailure ? err.counts : {};
    const error = describeError(err instanceof JobFailure ? err.cause : err);
    if (runId === 0) throw err;
    return await finish(deps, wf, runId, { status: 'failed', counts, error, durationMs: Math.round(performance.now() - t0) });
  } finally {
    clearInterval(renewal);
    spec.signal?.removeEventListener('abort', onStop);
    await releaseLease(db, wf.id, owner).catch((err) => log.error('WF_LEASE_LOST', { workflow: wf.name, err: describeError(err) }));
  }
}

async function finish(
  deps: RunnerDeps,
  wf: Workflow,
  runId: number,
  end: { status: 'succeeded' | 'failed'; counts: Counts; error: string | null; durationMs: number },
): Promise<RunOutcome> {
  await closeRun(deps.db, runId, { ...end, endedAt: deps.clock.now() });
  deps.onRun?.(wf, end.status, end.durationMs / 1000);
  if (end.status === 'succeeded') deps.log.info('WF_RUN_SUCCEEDED', { workflow: wf.name, runId, ms: end.durationMs, counts: end.counts });
  else deps.log.error('WF_RUN_FAILED', { workflow: wf.name, runId, ms: end.durationMs, err: end.error, counts: end.counts });
  return { kind: 'ran', runId, ...end };
}

async function renew(deps: RunnerDeps, wf: Workflow, controller: AbortController): Promise<void> {
  const until = new Date(deps.clock.now().getTime() + deps.leaseMs);
  // A database error here is not a lost lease: the job meets the same error and fails on its own.
  const kept = await renewLease(deps.db, wf.id, deps.owner, until).catch(() => true);
  if (kept || controller.signal.aborted) return;
  deps.log.error('WF_LEASE_LOST', { workflow: wf.name, owner: deps.owner });
  controller.abort();
}
