import { recordFailuresIn, type RecordedFailures } from '../bounce/record-failures.js';
import type { QuarantinePolicy } from '../bounce/quarantine-policy.js';
import type { Database } from '../db/connect.js';
import { keepInboundMessages, type KeptMessage } from '../db/repos/inbound-messages.js';
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
}

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

export async function applyPlans(db: Database, plans: readonly Plan[], kept: readonly KeptFile[], now: Date, policy: QuarantinePolicy): Promise<Applied> {
  return db.write(async (transaction) => {
    const failures = plans.flatMap((p) => (p.failure ? [p.failure] : []));
    const recorded = await recordFailuresIn(db, failures, now, policy, transaction);
    let unsubscribed = 0;
    for (const plan of plans) if (plan.unsubscribe && (await unsubscribe(db, plan.unsubscribe, now, transaction))) unsubscribed++;
    await keepInboundMessages(db, kept.map(keptRow), now, transaction);
    return { ...recorded, unsubscribed };
  });
}
