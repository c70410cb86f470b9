import type { Database } from '../../db/connect.js';
import type { BulkAction } from '../../db/models/index.js';
import { failInterruptedImports } from '../../db/repos/import-jobs.js';
import { findList } from '../../db/repos/lists.js';
import { findService } from '../../db/repos/services.js';
import type { BatchTarget } from '../../db/repos/bulk-actions.js';
import type { Logger } from '../../shared/logger.js';
import type { BulkRunner } from './bulk-runner.js';

/** The list or service a bulk action works on (undefined when it has gone since). */
export async function bulkTargetOf(db: Database, job: Pick<BulkAction, 'action' | 'listId' | 'serviceId'>): Promise<BatchTarget | undefined> {
  if (job.action === 'addToList' || job.action === 'removeFromList') {
    const list = job.listId ? await findList(db, job.listId) : null;
    return list ? { listId: list.id, listName: list.name } : undefined;
  }
  if (job.action === 'subscribe' || job.action === 'unsubscribe') {
    const service = job.serviceId ? await findService(db, job.serviceId) : null;
    return service ? { serviceName: service.name } : undefined;
  }
  return {};
}

/**
 * Background work the web module left when it stopped: imports still marked running are failed (the
 * rows of finished batches stay), a bulk action resumes from its last recipient.
 */
export async function recoverInterruptedWork(db: Database, log: Logger, bulk: BulkRunner): Promise<void> {
  const interrupted = await failInterruptedImports(db, 'the web module stopped during the import', new Date());
  if (interrupted > 0) log.warn('WEB_IMPORTS_INTERRUPTED', { count: interrupted });
  await bulk.resumeUnfinished((job) => bulkTargetOf(db, job));
}
