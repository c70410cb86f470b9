import type { Database } from '../connect.js';
import type { ImportJob } from '../models/index.js';
import { auditIn, type AuditInput } from './audit.js';

export interface ImportCounts {
  rows: number;
  inserted: number;
  updated: number;
  rejected: number;
}

export function createImportJob(
  db: Database,
  input: { operatorId: number; fileName: string; totalBytes: number; listId?: number | null; serviceId?: number | null },
  audit: AuditInput,
): Promise<ImportJob> {
  const { ImportJob } = db.models;
  return db.write(async (transaction) => {
    const job = await ImportJob.create(
      {
        operatorId: input.operatorId,
        fileName: input.fileName.slice(0, 255),
        status: 'running',
        totalBytes: input.totalBytes,
        listId: input.listId ?? null,
        serviceId: input.serviceId ?? null,
        createdAt: audit.at,
        updatedAt: audit.at,
      },
      { transaction },
    );
    await auditIn(db, transaction, { ...audit, targetId: job.id });
    return job;
  });
}

export async function updateImportProgress(db: Database, id: number, progress: { rows: number; bytes: number }): Promise<void> {
  const { ImportJob } = db.models;
  await db.write((transaction) => ImportJob.update(progress, { where: { id }, transaction }));
}

export async function finishImportJob(db: Database, id: number, counts: ImportCounts, audit: AuditInput): Promise<void> {
  const { ImportJob } = db.models;
  await db.write(async (transaction) => {
    await ImportJob.update({ ...counts, status: 'finished', finishedAt: audit.at }, { where: { id, status: 'running' }, transaction });
    await auditIn(db, transaction, audit);
  });
}

export async function failImportJob(db: Database, id: number, error: string, now: Date): Promise<void> {
  const { ImportJob } = db.models;
  await db.write((transaction) =>
    ImportJob.update({ status: 'failed', error: error.slice(0, 255), finishedAt: now }, { where: { id, status: 'running' }, transaction }),
  );
}

/** Jobs left running by a stopped process can never finish: mark them failed. Returns how many. */
export async function failInterruptedImports(db: Database, error: string, now: Date): Promise<number> {
  const { ImportJob } = db.models;
  const [count] = await db.write((transaction) =>
    ImportJob.update({ status: 'failed', error, finishedAt: now }, { where: { status: 'running' }, transaction }),
  );
  return count;
}

export function findImportJob(db: Database, id: number): Promise<ImportJob | null> {
  const { ImportJob } = db.models;
  return ImportJob.findByPk(id);
}

export function recentImportJobs(db: Database, limit: number): Promise<ImportJob[]> {
  const { ImportJob } = db.models;
  return ImportJob.findAll({ order: [['id', 'DESC']], limit });
}
