import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { recordFailuresIn } from '../bounce/record-failures.js';
import type { QuarantinePolicy } from '../bounce/quarantine-policy.js';
import type { Database } from '../db/connect.js';
import { journalReturn, markReturned, routedMessages } from '../db/repos/routing.js';
import type { Logger } from '../shared/logger.js';
import { readReturnFile, type RejectedRow } from './return-file.js';
import { planReturns } from './return-plan.js';
import type { Provider } from './sftp.js';
import { moveTo, waitingFiles, writeAtomically, type SpoolDirs } from './spool.js';

/**
 * Step 3 of a routing run: each complete file in the provider's `returns/` folder is read (pure),
 * planned against the messages it names (pure), and written in one transaction (return statuses,
 * failures and quarantines on the message's channel, the journal row); then moved to `done/`.
 * Rejected lines are kept beside it in `rejected/<file>.rejected.csv` (line, reason, text). A
 * file too large, or not readable as UTF-8 text, is moved whole to `rejected/`. A kill -9 between
 * the transaction and the move imports the file again next time, which changes nothing.
 */

export interface ImportDeps {
  db: Database;
  log: Logger;
  provider: Provider;
  dirs: SpoolDirs;
  policy: QuarantinePolicy;
  maxBytes: number;
  now: Date;
  signal: AbortSignal;
}

export interface ImportCounts {
  returnFiles: number;
  returnsApplied: number;
  returnsRejected: number;
}

const csvCell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

function rejectsCsv(rows: readonly RejectedRow[]): string {
  return ['line,reason,text', ...rows.map((r) => [String(r.line), r.reason, r.text].map(csvCell).join(','))].join('\r\n') + '\r\n';
}

async function setAside(deps: ImportDeps, file: { name: string; path: string }, reason: string): Promise<void> {
  await moveTo(file.path, deps.dirs.rejected, file.name);
  deps.log.warn('ROUTING_RETURN_REJECTED', { provider: deps.provider.name, file: file.name, reason });
}

export async function importReturns(deps: ImportDeps): Promise<ImportCounts> {
  const counts: ImportCounts = { returnFiles: 0, returnsApplied: 0, returnsRejected: 0 };
  for (const file of await waitingFiles(deps.dirs.returns)) {
    if (deps.signal.aborted) break;
    if (file.size > deps.maxBytes) {
      await setAside(deps, file, `larger than routing.maxReturnFileMb (${file.size} bytes)`);
      continue;
    }
    let content: string;
    try {
      content = new TextDecoder('utf-8', { fatal: true }).decode(await readFile(file.path));
    } catch {
      await setAside(deps, file, 'not UTF-8 text');
      continue;
    }
    const read = readReturnFile(content, deps.provider.returnSeparator);
    const messages = await routedMessages(
      deps.db,
      read.rows.map((r) => r.broadLogId),
    );
    const plan = planReturns(read.rows, messages, deps.provider.name);
    const rejected = [...read.rejected, ...plan.rejected].sort((a, b) => a.line - b.line);
    await deps.db.write(async (transaction) => {
      await markReturned(deps.db, plan.updates, transaction);
      for (const [channel, failures] of plan.failures) await recordFailuresIn(deps.db, failures, deps.now, deps.policy, transaction, channel);
      await journalReturn(
        deps.db,
        {
          provider: deps.provider.name,
          fileName: file.name.slice(0, 255),
          rowsRead: read.rows.length + read.rejected.length,
          applied: plan.updates.length,
          unchanged: plan.unchanged,
          rejected: rejected.length,
          importedAt: deps.now,
        },
        transaction,
      );
    });
    const rejectsName = `${file.name}.rejected.csv`;
    if (rejected.length) await writeAtomically(deps.dirs.rejected, rejectsName, rejectsCsv(rejected));
    else await rm(join(deps.dirs.rejected, rejectsName), { force: true });
    await moveTo(file.path, deps.dirs.done, file.name);
    deps.log.info('ROUTING_RETURN_IMPORTED', {
      provider: deps.provider.name,
      file: file.name,
      rows: read.rows.length + read.rejected.length,
      applied: plan.updates.length,
      unchanged: plan.unchanged,
      rejected: rejected.length,
    });
    counts.returnFiles++;
    counts.returnsApplied += plan.updates.length;
    counts.returnsRejected += rejected.length;
  }
  return counts;
}
