import { rm } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import {
  purgeBroadLogs,
  purgeDeletedDeliveries,
  purgeExpiredDeliveryData,
  purgeExpiredLists,
  purgeImportJobs,
  purgeInboundMessages,
  purgeSmtpStats,
  purgeTrackingLogs,
  purgeTrackingStats,
  purgeValidQuarantines,
  purgeWorkflowJournal,
} from '../../db/repos/retention.js';
import type { PurgeOptions } from '../../db/repos/batched.js';
import { IMPORTS_FOLDER, rejectsFileName } from '../../recipients/import-files.js';
import type { HeraldConfig } from '../../shared/config/schema.js';
import { DAY_MS } from '../../shared/duration.js';
import { describeError } from '../../shared/errors.js';
import { JobFailure, type Counts } from '../runner.js';
import { batchOptions, type TechnicalContext } from './context.js';

/**
 * Database cleanup (Adobe's `cleanup` workflow): ordered purges by retention in days, each in small
 * batches. If one step fails, the later ones are skipped and the run fails with what was done so
 * far; the next run starts over (every step is idempotent). A retention of 0 days keeps that data.
 */

type RetentionKey = Exclude<keyof HeraldConfig['wfserver']['cleanup'], 'batchSize' | 'batchPauseMs'>;

interface CleanupStep {
  name: string;
  /** Retention setting; none: the data carries its own expiry date. */
  days?: RetentionKey;
  run(ctx: TechnicalContext, cutoff: Date, purge: PurgeOptions): Promise<Counts>;
}

export const CLEANUP_STEPS: readonly CleanupStep[] = [
  { name: 'expiredLists', run: (c, cutoff, o) => purgeExpiredLists(c.db, cutoff, o) },
  { name: 'deletedDeliveries', days: 'deletedDeliveryDays', run: (c, cutoff, o) => purgeDeletedDeliveries(c.db, cutoff, o) },
  { name: 'deliveryData', days: 'deliveryDataDays', run: (c, cutoff, o) => purgeExpiredDeliveryData(c.db, cutoff, o) },
  { name: 'workflowJournal', days: 'workflowRunDays', run: (c, cutoff, o) => purgeWorkflowJournal(c.db, cutoff, o) },
  { name: 'inboundMessages', days: 'inboundMessageDays', run: (c, cutoff, o) => purgeInboundMessages(c.db, cutoff, o, (files) => removeSpoolFiles(c, files)) },
  {
    name: 'importJobs',
    days: 'importJobDays',
    run: (c, cutoff, o) =>
      purgeImportJobs(c.db, cutoff, o, (ids) =>
        removeSpoolFiles(
          c,
          ids.map((id) => join(IMPORTS_FOLDER, rejectsFileName(id))),
        ),
      ),
  },
  { name: 'validQuarantines', days: 'validQuarantineDays', run: (c, cutoff, o) => purgeValidQuarantines(c.db, cutoff, o) },
  { name: 'trackingLogs', days: 'trackingLogDays', run: (c, cutoff, o) => purgeTrackingLogs(c.db, cutoff, o) },
  { name: 'trackingStats', days: 'trackingStatDays', run: (c, cutoff, o) => purgeTrackingStats(c.db, cutoff, o) },
  { name: 'broadLogs', days: 'broadLogDays', run: (c, cutoff, o) => purgeBroadLogs(c.db, cutoff, o) },
  { name: 'smtpStats', days: 'smtpStatDays', run: (c, cutoff, o) => purgeSmtpStats(c.db, cutoff, o) },
];

export async function runCleanup(ctx: TechnicalContext): Promise<Counts> {
  const counts: Counts = {};
  const purge = batchOptions(ctx);
  for (const step of CLEANUP_STEPS) {
    const days = step.days ? ctx.config.wfserver.cleanup[step.days] : undefined;
    if (days === 0) continue;
    const cutoff = days === undefined ? ctx.now : new Date(ctx.now.getTime() - days * DAY_MS);
    try {
      const done = await step.run(ctx, cutoff, purge);
      for (const [kind, n] of Object.entries(done)) counts[kind] = (counts[kind] ?? 0) + n;
      ctx.log.info('WF_CLEANUP_STEP', { step: step.name, cutoff, ...done });
    } catch (err) {
      throw new JobFailure(new Error(`step ${step.name}: ${describeError(err)}`), counts);
    }
  }
  return counts;
}

/** Deletes spool files of purged rows, only inside the spool folder; a file already gone is fine. */
async function removeSpoolFiles(ctx: TechnicalContext, files: readonly string[]): Promise<void> {
  const spool = ctx.paths.spoolDir;
  for (const file of files) {
    const path = resolve(spool, file);
    const inside = relative(spool, path);
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
      ctx.log.warn('WF_SPOOL_FILE_KEPT', { file, reason: 'outside the spool folder' });
      continue;
    }
    await rm(path, { force: true }).catch((err) => ctx.log.warn('WF_SPOOL_FILE_KEPT', { file, reason: describeError(err) }));
  }
}
