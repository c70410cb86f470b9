import { consumeSlot, findWorkflowById, takeLease } from '../db/repos/workflows.js';
import type { Database } from '../db/connect.js';

/**
 * Who runs a workflow now. A scheduled run claims its slot and the lease together; a manual run or
 * a resume of due Waits claims only the lease. Outcomes:
 * - claimed: this owner runs it;
 * - taken: the slot was already run (by another wfserver) — nothing to do;
 * - busy: the previous run still holds the lease — the run is refused (and a scheduled slot is
 *   marked handled, so exactly one process journals the refusal);
 * - inactive: the workflow is paused, stopped or disabled.
 */

export type ClaimOutcome = { kind: 'claimed' } | { kind: 'taken' } | { kind: 'busy'; holder: string; until: Date } | { kind: 'inactive' };

export interface ClaimRequest {
  workflowId: number;
  owner: string;
  now: Date;
  leaseMs: number;
  slot?: Date;
  requireActive: boolean;
}

export async function claimWorkflow(db: Database, r: ClaimRequest): Promise<ClaimOutcome> {
  // The lease may be released between a failed take and the read that explains it: then try again.
  for (let attempt = 0; attempt < 5; attempt++) {
    if (await takeLease(db, r)) return { kind: 'claimed' };
    const row = await findWorkflowById(db, r.workflowId);
    if (!row || (r.requireActive && (row.state !== 'started' || !row.enabled))) return { kind: 'inactive' };
    if (r.slot && row.lastRunAt && row.lastRunAt >= r.slot) return { kind: 'taken' };
    if (row.leaseOwner === null || row.leaseExpiresAt === null || row.leaseExpiresAt < r.now) continue;
    const busy = { kind: 'busy' as const, holder: row.leaseOwner, until: row.leaseExpiresAt };
    if (!r.slot) return busy;
    return (await consumeSlot(db, r.workflowId, r.slot)) ? busy : { kind: 'taken' };
  }
  return { kind: 'taken' };
}
