import type { HeraldConfig } from '../shared/config/schema.js';
import type { FailureReason, FailureType, QuarantineStatus } from '../shared/glossary.js';

/**
 * Adobe Campaign's quarantine rules for one address, as pure functions of the current state, the
 * new failure and `now`:
 * - hard → Quarantine at once;
 * - soft → With errors; an error counts at most once per `errorIntervalMs` (a day), the count
 *   resets after `resetAfterMs` (10 days) without errors, and reaching `maxErrors` (5) quarantines;
 * - soft / refused (policy and reputation blocks) never touch the address: the fault is ours;
 * - a spam complaint → Denylisted; Denylisted is never changed by bounces nor released;
 * - ignored → nothing.
 * - a message delivered to an address With errors makes it Valid again, its error count reset
 *   (Adobe: a retry that succeeds reinitializes the counter) — DELIVERED_RELEASES;
 * Release (run by the workflow server): With errors → Valid after `resetAfterMs` without errors,
 * or after `mailboxFullReleaseMs` since its first error for a full mailbox that keeps failing;
 * Quarantine and Denylisted are never released automatically.
 */

/** Statuses a delivered message turns back to Valid (with a zero error count). */
export const DELIVERED_RELEASES: readonly QuarantineStatus[] = ['with_errors'];

export interface QuarantinePolicy {
  maxErrors: number;
  errorIntervalMs: number;
  resetAfterMs: number;
  mailboxFullReleaseMs: number;
}

const DAY = 86_400_000;

export const ADOBE_QUARANTINE_POLICY: QuarantinePolicy = { maxErrors: 5, errorIntervalMs: DAY, resetAfterMs: 10 * DAY, mailboxFullReleaseMs: 30 * DAY };

/** The policy from the `[inmail]` config numbers (shared by the MTA and the workflow server). */
export function quarantinePolicy(q: HeraldConfig['quarantine']): QuarantinePolicy {
  return {
    maxErrors: q.maxErrors,
    errorIntervalMs: q.errorIntervalHours * 3_600_000,
    resetAfterMs: q.softErrorReleaseDays * DAY,
    mailboxFullReleaseMs: q.mailboxFullReleaseDays * DAY,
  };
}

export interface QuarantineState {
  status: QuarantineStatus;
  /** Significant errors counted. */
  errorCount: number;
  lastErrorAt: Date | null;
  failureType: FailureType | null;
  failureReason: FailureReason | null;
  text: string | null;
  deliveryId: number | null;
}

export interface QuarantineFailure {
  type: FailureType;
  reason: FailureReason;
  /** A spam complaint: the address goes on the denylist. */
  denylist?: boolean;
  text?: string | null;
  deliveryId?: number | null;
}

function recorded(failure: QuarantineFailure, status: QuarantineStatus, errorCount: number, now: Date): QuarantineState {
  return {
    status,
    errorCount,
    lastErrorAt: now,
    failureType: failure.type,
    failureReason: failure.reason,
    text: failure.text ?? null,
    deliveryId: failure.deliveryId ?? null,
  };
}

/**
 * The state after `failure`. Returns `current` itself when nothing changes (and undefined when
 * there is no row and none is needed), so callers write only real changes.
 */
export function nextQuarantine(
  current: QuarantineState | undefined,
  failure: QuarantineFailure,
  now: Date,
  policy: QuarantinePolicy,
): QuarantineState | undefined {
  if (current?.status === 'denylisted') return current;
  if (failure.denylist) return recorded(failure, 'denylisted', current?.errorCount ?? 0, now);
  if (failure.type === 'ignored' || (failure.type === 'soft' && failure.reason === 'refused')) return current;
  if (failure.type === 'hard') return recorded(failure, 'quarantine', (current?.errorCount ?? 0) + 1, now);
  if (current?.status === 'quarantine') return current;
  const last = current?.status === 'with_errors' ? current.lastErrorAt : null;
  if (last && now.getTime() - last.getTime() < policy.errorIntervalMs) return current;
  const count = last && now.getTime() - last.getTime() <= policy.resetAfterMs ? current!.errorCount + 1 : 1;
  return recorded(failure, count >= policy.maxErrors ? 'quarantine' : 'with_errors', count, now);
}
