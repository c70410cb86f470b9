import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from '../../db/connect.js';
import type { AuditInput } from '../../db/repos/audit.js';
import {
  applyBulkBatch,
  createBulkAction,
  endBulkAction,
  markRunning,
  recordBulkProgress,
  unfinishedBulkActions,
  type BatchTarget,
  type NewBulkAction,
} from '../../db/repos/bulk-actions.js';
import { expandSegments, matchingIdsAfter } from '../../db/repos/segments.js';
import type { BulkAction } from '../../db/models/index.js';
import { describeError, isHeraldError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';

/**
 * Runs bulk actions on a filtered selection in the background of the web process, one job at a
 * time: batches of `batchSize` recipients in id order (keyset, so a change that takes a recipient
 * out of the selection never makes the job skip or repeat anyone), the progress saved after each
 * batch, and a pause between batches so console requests are answered meanwhile. A job the module
 * stopped is resumed from its last recipient at the next start.
 */

export interface BulkRunnerDeps {
  db: Database;
  log: Logger;
  clock: () => Date;
  batchSize: number;
  pauseMs: number;
  onEnded?: () => void;
}

export interface BulkRunner {
  busy(): boolean;
  /** Creates the job and starts it; returns its id at once. */
  start(input: NewBulkAction, target: BatchTarget, audit: Omit<AuditInput, 'action'>): Promise<number>;
  /** Resumes jobs a stopped module left (status running or interrupted). */
  resumeUnfinished(targetOf: (job: BulkAction) => Promise<BatchTarget | undefined>): Promise<number>;
  /** Asks the running job to stop after its batch (interrupted) and waits for it. */
  stop(): Promise<void>;
  idle(): Promise<void>;
}

export function createBulkRunner(deps: BulkRunnerDeps): BulkRunner {
  let running: Promise<void> | undefined;
  let stopping = false;
  const launch = (job: BulkAction, target: BatchTarget, audit: Omit<AuditInput, 'action'>) => {
    running = runJob(deps, job, target, audit, () => stopping).finally(() => {
      running = undefined;
      deps.onEnded?.();
    });
  };
  return {
    busy: () => running !== undefined,
    async start(input, target, audit) {
      const job = await createBulkAction(deps.db, input, { ...audit, action: 'recipients_bulk_started', detail: { action: input.action, ...target } });
      deps.log.info('WEB_BULK_STARTED', { job: job.id, action: input.action, total: input.total });
      launch(job, target, audit);
      return job.id;
    },
    async resumeUnfinished(targetOf) {
      const jobs = await unfinishedBulkActions(deps.db);
      const job = jobs[0];
      if (!job) return 0;
      const target = await targetOf(job);
      if (!target) {
        await endBulkAction(deps.db, job.id, 'failed', null, 'its list or service no longer exists');
        return 0;
      }
      await markRunning(deps.db, job.id);
      deps.log.info('WEB_BULK_RESUMED', { job: job.id, lastId: job.lastId });
      launch(job, target, { at: deps.clock(), operatorId: job.operatorId, operatorLogin: null });
      return 1;
    },
    async stop() {
      stopping = true;
      await running;
    },
    idle: async () => {
      await running;
    },
  };
}

async function runJob(deps: BulkRunnerDeps, job: BulkAction, target: BatchTarget, audit: Omit<AuditInput, 'action'>, stopping: () => boolean): Promise<void> {
  const { db, log } = deps;
  let { done, affected, lastId } = job;
  try {
    const condition = await expandSegments(db, job.condition!);
    for (;;) {
      if (stopping()) {
        await endBulkAction(db, job.id, 'interrupted', null);
        log.warn('WEB_BULK_INTERRUPTED', { job: job.id, done });
        return;
      }
      const now = deps.clock();
      const ids = await matchingIdsAfter(db, condition, lastId, deps.batchSize, now);
      if (ids.length === 0) break;
      affected += await applyBulkBatch(db, job.action, ids, target, { ...audit, at: now });
      done += ids.length;
      lastId = ids[ids.length - 1]!;
      await recordBulkProgress(db, job.id, { done, affected, lastId }, now);
      await sleep(deps.pauseMs);
    }
    await endBulkAction(db, job.id, 'finished', {
      ...audit,
      at: deps.clock(),
      action: 'recipients_bulk_finished',
      detail: { action: job.action, done, affected },
    });
    log.info('WEB_BULK_FINISHED', { job: job.id, done, affected });
  } catch (err) {
    log.warn('WEB_BULK_FAILED', { job: job.id, err: describeError(err) });
    const reason = isHeraldError(err) ? err.message : 'the bulk action stopped on an unexpected error';
    await endBulkAction(
      db,
      job.id,
      'failed',
      { ...audit, at: deps.clock(), action: 'recipients_bulk_failed', detail: { action: job.action, done, error: reason } },
      reason,
    ).catch(() => undefined);
  }
}
