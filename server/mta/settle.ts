import type { Settlement } from '../db/repos/mta-queue.js';
import type { FailureReason, FailureType } from '../shared/glossary.js';
import { nextAttemptAt, type RetryPolicy } from './retry-schedule.js';
import type { Outcome, Phase } from './smtp-outcome.js';

/**
 * What becomes of one message after an SMTP attempt (pure): sent; failed (hard, or soft whose
 * retries would outlive the validity); or deferred to its next attempt. The bounce rules give the
 * type and reason; the reply code has the last word on retrying: a 4xx, a 421 or a network error
 * is never a hard failure, whatever its text says.
 */

export interface Qualification {
  type: FailureType;
  reason: FailureReason;
  rule: string;
  /** false: no rule matched (the text goes to the "to qualify" queue). */
  qualified: boolean;
}

export type Classify = (input: { status?: string; smtpCode?: number; text: string; command?: string }) => Qualification;

/** The SMTP command a refusal answered, as the bounce rules name it (it tells a refused recipient from a filtered message). */
const COMMANDS: Record<Phase, string> = { dns: 'CONNECT', connect: 'CONNECT', greeting: 'EHLO', mail: 'MAIL', rcpt: 'RCPT', data: 'DATA', session: 'CONNECT' };

export interface AttemptContext {
  id: number;
  deliveryId: number;
  /** Attempts made before this one. */
  attempts: number;
  validityEnd: Date | null;
}

export interface Settled {
  settlement: Settlement;
  /** For the bounce texts and the quarantine: set when the message failed or was deferred. */
  failure?: Qualification & { text: string; temporary: boolean };
}

export function settleOutcome(outcome: Outcome, message: AttemptContext, classify: Classify, policy: RetryPolicy, now: Date): Settled {
  if (outcome.kind === 'sent') return { settlement: { id: message.id, deliveryId: message.deliveryId, status: 'sent', response: outcome.response } };
  const q = classify({ status: outcome.status, smtpCode: outcome.code, text: outcome.text, command: COMMANDS[outcome.phase] });
  const type: FailureType = outcome.temporary && q.type === 'hard' ? 'soft' : q.type;
  const failure = { ...q, type, text: outcome.text, temporary: outcome.temporary };
  const base = { id: message.id, deliveryId: message.deliveryId, type, reason: q.reason, text: outcome.text };
  // Soft and ignored failures are retried (Adobe); hard ones never.
  if (type !== 'hard') {
    const next = nextAttemptAt(policy, message.attempts + 1, now, message.validityEnd, message.id);
    if (next) return { settlement: { ...base, status: 'deferred', nextAttemptAt: next, countAttempt: true }, failure };
  }
  return { settlement: { ...base, status: 'failed' }, failure };
}
