import type { FailureRecord } from '../bounce/record-failures.js';
import type { RoutedMessage } from '../db/repos/routing.js';
import type { Channel, FailureReason, FailureType } from '../shared/glossary.js';
import type { RejectedRow, ReturnRow, ReturnStatus } from './return-file.js';

/**
 * What a return file changes (pure): each message's return status and date; a returned letter fails
 * soft (counted against its address, like an unreachable mailbox), a bad address fails hard and
 * quarantines the address on the message's channel only (the recipient's email and SMS are
 * untouched). A line naming a message Herald never routed, or routed for another delivery, is
 * rejected with the reason; a status a message already has changes nothing (a file imported twice).
 * A failure is final: a later "delivered" for the same message does not undo it.
 */

const FAILURES: Partial<Record<ReturnStatus, { type: FailureType; reason: FailureReason }>> = {
  returned: { type: 'soft', reason: 'unreachable' },
  bad_address: { type: 'hard', reason: 'user_unknown' },
};

export interface ReturnPlan {
  updates: Array<{ broadLogId: number; status: ReturnStatus; at: Date }>;
  failures: Map<Channel, FailureRecord[]>;
  unchanged: number;
  rejected: RejectedRow[];
}

export function planReturns(rows: readonly ReturnRow[], messages: ReadonlyMap<number, RoutedMessage>, provider: string): ReturnPlan {
  const plan: ReturnPlan = { updates: [], failures: new Map(), unchanged: 0, rejected: [] };
  const current = new Map<number, string | null>();
  for (const row of rows) {
    const m = messages.get(row.broadLogId);
    if (!m || m.deliveryId !== row.deliveryId) {
      plan.rejected.push({ line: row.line, text: `H${row.deliveryId}-${row.broadLogId}`, reason: 'no message of this document id was sent to a provider' });
      continue;
    }
    const before = current.has(m.broadLogId) ? current.get(m.broadLogId)! : m.receiptStatus;
    if (before === row.status || (before && before !== 'delivered')) {
      plan.unchanged++;
      continue;
    }
    current.set(m.broadLogId, row.status);
    plan.updates.push({ broadLogId: m.broadLogId, status: row.status, at: row.at });
    const failure = FAILURES[row.status];
    if (!failure) continue;
    const list = plan.failures.get(m.channel) ?? [];
    list.push({
      broadLogId: m.broadLogId,
      deliveryId: m.deliveryId,
      address: m.address,
      ...failure,
      rule: `routing-return-${row.status}`,
      qualified: true,
      text: `${provider} return file: ${row.status.replace('_', ' ')}`,
      markFailed: m.status === 'sent',
    });
    plan.failures.set(m.channel, list);
  }
  return plan;
}
