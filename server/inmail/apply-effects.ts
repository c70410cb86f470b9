import { recordFailuresIn, type RecordedFailures } from '../bounce/record-failures.js';
import type { QuarantinePolicy } from '../bounce/quarantine-policy.js';
import type { Database } from '../db/connect.js';
import { keepInboundMessages, type KeptMessage } from '../db/repos/inbound-messages.js';
import { recordedIn, recordMailboxMessages, type MailboxMessageRecord } from '../db/repos/inmail-mailboxes.js';
import { unsubscribe } from '../db/repos/subscriptions.js';
import type { Inbound, Plan } from './plan-effects.js';

/** The database side of a batch of plans, in one write transaction. */

export interface KeptFile {
  inbound: Inbound;
  plan: Plan;
  /** Path of the kept copy, relative to the spool folder. */
  spoolFile: string;
}

export interface Applied extends RecordedFailures {
  unsubscribed: number;
  /** Messages from a bounce mailbox whose effects an earlier run already applied (skipped). */
  duplicates: number;
}

/** Where a message of the batch came from, when it was read from a bounce mailbox (same order as the plans). */
export type PlanSource = MailboxMessageRecord | undefined;

function keptRow({ inbound, plan, spoolFile }: KeptFile): KeptMessage {
  const parsed = inbound.outcome.ok ? inbound.outcome.analysis.parsed : undefined;
  return {
    receivedAt: new Date(inbound.envelope.receivedAt),
    mailFrom: inbound.envelope.mailFrom || null,
    rcptTo: inbound.envelope.rcptTo.join(', ') || null,
    subject: parsed?.subject || null,
    messageId: parsed?.messageId || null,
    kind: plan.keep!.kind,
    status: plan.keep!.status,
    reason: plan.keep!.reason,
    spoolFile,
    size: inbound.size,
  };
}

const sourceKey = (s: { mailbox: string; key: string }) => `${s.mailbox}\u0000${s.key}`;

/**
 * Applies a batch in one transaction. A message read from a bounce mailbox is recorded in the same
 * transaction, and one already recorded (fetched again after a crash) changes nothing.
 */
export async function applyPlans(
  db: Database,
  plans: readonly Plan[],
  kept: readonly KeptFile[],
  now: Date,
  policy: QuarantinePolicy,
  sources: readonly PlanSource[] = [],
): Promise<Applied> {
  return db.write(async (transaction) => {
    const fromMailboxes = sources.filter((s): s is MailboxMessageRecord => s !== undefined);
    const done = fromMailboxes.length > 0 ? await recordedIn(db, fromMailboxes, transaction) : new Set<string>();
    const skipped = new Set(plans.flatMap((p, i) => (sources[i] && done.has(sourceKey(sources[i])) ? [p.spoolId] : [])));
    const live = plans.filter((p) => !skipped.has(p.spoolId));
    const failures = live.flatMap((p) => (p.failure ? [p.failure] : []));
    const recorded = await recordFailuresIn(db, failures, now, policy, transaction);
    let unsubscribed = 0;
    for (const plan of live) if (plan.unsubscribe && (await unsubscribe(db, plan.unsubscribe, now, transaction))) unsubscribed++;
    await keepInboundMessages(db, kept.filter((k) => !skipped.has(k.plan.spoolId)).map(keptRow), now, transaction);
    await recordMailboxMessages(
      db,
      fromMailboxes.filter((s) => !done.has(sourceKey(s))),
      now,
      transaction,
    );
    return { ...recorded, unsubscribed, duplicates: skipped.size };
  });
}
