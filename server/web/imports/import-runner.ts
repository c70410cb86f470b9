import { once } from 'node:events';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from '../../db/connect.js';
import { createImportJob, failImportJob, finishImportJob, updateImportProgress } from '../../db/repos/import-jobs.js';
import { addToList, subscribeTo } from '../../db/repos/memberships.js';
import { idsOfEmails } from '../../db/repos/recipients.js';
import { rejectsFileName, uploadFileName } from '../../recipients/import-files.js';
import { csvLine } from '../../recipients/csv-format.js';
import type { Reject } from '../../recipients/import-csv.js';
import { importRecipientsFile } from '../../recipients/import-file.js';
import { describeError, isHeraldError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';

/**
 * Runs recipient CSV imports uploaded through the console in the background of the web process,
 * one at a time: the job row carries the progress (polled by the job page), bad rows go to a
 * reject report next to it, and the uploaded file is deleted once read.
 */

export interface ImportRunnerDeps {
  db: Database;
  log: Logger;
  clock: () => Date;
  /** Folder for uploads and reject reports (dataDir/spool/imports). */
  dir: string;
  batchSize: number;
  /** recipients.defaultCountry: the country of numbers written without their country code. */
  defaultCountry?: string;
  /** Called when an import has ended (the recipients changed). */
  onEnded?: () => void;
}

/** An uploaded file, and the list it feeds and the service it subscribes to (optional). */
export interface Upload {
  path: string;
  fileName: string;
  bytes: number;
  encoding?: string;
  into?: { list?: { id: number; name: string }; service?: { id: number; name: string } };
}

export interface StartedBy {
  operatorId: number;
  operatorLogin: string;
  ip: string;
}

export interface ImportRunner {
  /** Where an upload is written before it is imported. */
  uploadPath(token: string): string;
  rejectsPath(jobId: number): string;
  busy(): boolean;
  /** Creates the job and starts importing the uploaded file; returns the job id at once. */
  start(upload: Upload, by: StartedBy): Promise<number>;
  /** Resolves when no import is running (for shutdown and tests). */
  idle(): Promise<void>;
}

export function createImportRunner(deps: ImportRunnerDeps): ImportRunner {
  mkdirSync(deps.dir, { recursive: true, mode: 0o750 });
  let running: Promise<void> | undefined;
  const rejectsPath = (jobId: number) => join(deps.dir, rejectsFileName(jobId));
  return {
    uploadPath: (token) => join(deps.dir, uploadFileName(token)),
    rejectsPath,
    busy: () => running !== undefined,
    async start(upload, by) {
      const audit = { at: deps.clock(), operatorId: by.operatorId, operatorLogin: by.operatorLogin, ip: by.ip, targetType: 'import' };
      const job = await createImportJob(
        deps.db,
        { operatorId: by.operatorId, fileName: upload.fileName, totalBytes: upload.bytes, listId: upload.into?.list?.id, serviceId: upload.into?.service?.id },
        {
          ...audit,
          action: 'recipients_import_started',
          detail: { file: upload.fileName, bytes: upload.bytes, list: upload.into?.list?.name, service: upload.into?.service?.name },
        },
      );
      deps.log.info('WEB_IMPORT_STARTED', { job: job.id, bytes: upload.bytes });
      running = runJob(deps, job.id, upload, rejectsPath(job.id), by).finally(() => {
        running = undefined;
        deps.onEnded?.();
      });
      return job.id;
    },
    idle: async () => {
      await running;
    },
  };
}

async function runJob(deps: ImportRunnerDeps, jobId: number, upload: Upload, rejectsFile: string, by: StartedBy): Promise<void> {
  const file = upload.path;
  let rejects: WriteStream | undefined;
  const onReject = (r: Reject) => {
    if (!rejects) {
      rejects = createWriteStream(rejectsFile, { mode: 0o600 });
      rejects.write(csvLine(['line', 'email', 'reason']));
    }
    rejects.write(csvLine([r.line, r.email, r.reason]));
  };
  const progress = (rows: number, bytes: number) => void updateImportProgress(deps.db, jobId, { rows, bytes }).catch(() => undefined);
  try {
    const summary = await importRecipientsFile(deps.db, file, {
      batchSize: deps.batchSize,
      defaultCountry: deps.defaultCountry,
      encoding: upload.encoding,
      onReject,
      onProgress: progress,
      onBatch: upload.into ? (emails) => feed(deps, upload.into!, emails) : undefined,
    });
    const counts = { rows: summary.rows, inserted: summary.inserted, updated: summary.updated, rejected: summary.rejected };
    await closeStream(rejects);
    await finishImportJob(deps.db, jobId, counts, {
      at: deps.clock(),
      operatorId: by.operatorId,
      operatorLogin: by.operatorLogin,
      ip: by.ip,
      action: 'recipients_imported',
      targetType: 'import',
      targetId: jobId,
      detail: counts,
    });
    deps.log.info('WEB_IMPORT_FINISHED', { job: jobId, ...counts, seconds: summary.seconds });
  } catch (err) {
    await closeStream(rejects);
    deps.log.warn('WEB_IMPORT_FAILED', { job: jobId, err: describeError(err) });
    await failImportJob(deps.db, jobId, isHeraldError(err) ? err.message : 'the import stopped on an unexpected error', deps.clock()).catch(() => undefined);
  } finally {
    await rm(file, { force: true });
  }
}

/** Each written batch joins the import's list and is subscribed to its service. */
async function feed(deps: ImportRunnerDeps, into: NonNullable<Upload['into']>, emails: string[]): Promise<void> {
  const ids = await idsOfEmails(deps.db, emails);
  const now = deps.clock();
  if (into.list) await addToList(deps.db, into.list.id, ids, now);
  if (into.service) await subscribeTo(deps.db, into.service.name, ids, now, 'import');
}

async function closeStream(stream: WriteStream | undefined): Promise<void> {
  if (!stream || stream.closed) return;
  stream.end();
  await once(stream, 'close');
}
