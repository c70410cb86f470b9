import type { FailureRecord } from '../bounce/record-failures.js';
import type { SubmittedMessage } from '../db/repos/sms.js';
import type { FailureReason, FailureType, ReceiptStatus } from '../shared/glossary.js';

/**
 * What delivery receipts change (pure): the receipt status of each message, the failures they
 * record (an undeliverable number fails hard and is quarantined; an expired message fails soft
 * and counts an error for the number; a rejected one fails without touching the number), and the
 * numbers a delivered message turns valid again. A failure wins over a delivered segment of the
 * same message; a repeated receipt changes nothing.
 */

export interface ReceiptInput {
  messageId: string;
  status: ReceiptStatus | undefined;
  text: string;
}

export interface ReceiptPlan {
  updates: Array<{ broadLogId: number; status: ReceiptStatus }>;
  failures: FailureRecord[];
  delivered: string[];
  unmatched: number;
  /** Receipts of a state that is not final (en route, accepted): nothing to write. */
  pending: number;
}

const FAILURES: Partial<Record<ReceiptStatus, { type: FailureType; reason: FailureReason }>> = {
  undeliverable: { type: 'hard', reason: 'user_unknown' },
  expired: { type: 'soft', reason: 'unreachable' },
  rejected: { type: 'soft', reason: 'refused' },
};

const isFailure = (s: ReceiptStatus | null | undefined) => s !== null && s !== undefined && s !== 'delivered';

export function planReceipts(receipts: readonly ReceiptInput[], matched: ReadonlyMap<string, SubmittedMessage>): ReceiptPlan {
  const plan: ReceiptPlan = { updates: [], failures: [], delivered: [], unmatched: 0, pending: 0 };
  const current = new Map<number, ReceiptStatus | null>();
  for (const r of receipts) {
    const m = matched.get(r.messageId);
    if (!m) {
      plan.unmatched++;
      continue;
    }
    if (!r.status) {
      plan.pending++;
      continue;
    }
    const before = current.has(m.broadLogId) ? current.get(m.broadLogId)! : m.receiptStatus;
    if (before === r.status || (r.status === 'delivered' && isFailure(before))) continue;
    current.set(m.broadLogId, r.status);
    plan.updates.push({ broadLogId: m.broadLogId, status: r.status });
    const failure = FAILURES[r.status];
    if (failure && !isFailure(before))
      plan.failures.push({
        broadLogId: m.broadLogId,
        deliveryId: m.deliveryId,
        address: m.address,
        ...failure,
        rule: `sms-receipt-${r.status}`,
        qualified: true,
        text: r.text || `delivery receipt: ${r.status}`,
        markFailed: m.status === 'sent',
      });
    if (r.status === 'delivered') plan.delivered.push(m.address);
  }
  return plan;
}
