import type { Settlement } from '../db/repos/mta-queue.js';
import type { FailureReason, FailureType } from '../shared/glossary.js';
import { nextAttemptAt, type RetryPolicy } from './retry-schedule.js';
import type { Outcome, Phase } from './smtp-outcome.js';

/**
 * What becomes of one message after an SMTP attempt (pure): sent; failed (hard, or soft whose
 * retries would outlive the validity); or deferred to its next attempt. The bounce rules give the
 * type and reason; the reply code has the last word on retrying: a 4xx, a 421 or a network error
 * is never a hard failure, whatever its text says. A temporary failure to reach the domain at all
 * (DNS, connection refused or timed out, greeting refused, a 421 at any stage) is not an attempt
 * of the message: it waits for the domain's back-off (`connectionRetryAt`) without counting an
 * attempt, and the address is not blamed.
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
  address: string;
  /** Attempts made before this one. */
  attempts: number;
  validityEnd: Date | null;
}

export interface Settled {
  settlement: Settlement;
  /** For the bounce texts and the quarantine: set when the message failed or was deferred. */
  failure?: Qualification & { text: string; temporary: boolean; connection?: boolean };
}

export interface SettleOptions {
  /** When the domain may be tried again after a connection failure (its back-off). */
  connectionRetryAt?: Date;
}

export function settleOutcome(
  outcome: Outcome,
  message: AttemptContext,
  classify: Classify,
  policy: RetryPolicy,
  now: Date,
  options: SettleOptions = {},
): Settled {
  if (outcome.kind === 'sent')
    return { settlement: { id: message.id, deliveryId: message.deliveryId, status: 'sent', response: outcome.response, address: message.address } };
  const q = classify({ status: outcome.status, smtpCode: outcome.code, text: outcome.text, command: COMMANDS[outcome.phase] });
  const type: FailureType = outcome.temporary && q.type === 'hard' ? 'soft' : q.type;
  const connection = outcome.temporary && outcome.sessionFailure;
  const failure = { ...q, type, text: outcome.text, temporary: outcome.temporary, ...(connection ? { connection } : {}) };
  const base = { id: message.id, deliveryId: message.deliveryId, type, reason: q.reason, text: outcome.text };
  if (connection) {
    const next = options.connectionRetryAt ?? nextAttemptAt(policy, 1, now, null, message.id)!;
    const inTime = !message.validityEnd || next.getTime() < message.validityEnd.getTime();
    if (inTime) return { settlement: { ...base, status: 'deferred', nextAttemptAt: next, countAttempt: false }, failure };
    return { settlement: { ...base, status: 'failed' }, failure };
  }
  // Soft and ignored failures are retried (Adobe); hard ones never.
  if (type !== 'hard') {
    const next = nextAttemptAt(policy, message.attempts + 1, now, message.validityEnd, message.id);
    if (next) return { settlement: { ...base, status: 'deferred', nextAttemptAt: next, countAttempt: true }, failure };
  }
  return { settlement: { ...base, status: 'failed' }, failure };
}
