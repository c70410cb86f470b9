import type { FailureReason } from '../shared/glossary.js';
import type { QuarantinePolicy } from './quarantine-policy.js';

/**
 * Adobe's automatic quarantine release (§3.5), as data, with the same policy numbers as the rules
 * that put addresses in quarantine (quarantine-policy.ts). Only addresses "with errors" are ever
 * released; "quarantine" and "denylisted" never are (they are not even read). Pure: `now` is
 * passed in. The workflow server's quarantineRelease job runs them.
 */

export interface ReleaseFacts {
  failureReason: FailureReason | null;
  lastErrorAt: Date | null;
  /** When the address first failed (the quarantine row was created). */
  createdAt: Date;
  /** The latest successful send to the address, if any. */
  lastSuccessAt: Date | null;
}

export interface ReleaseRule {
  id: string;
  description: string;
  releases(q: ReleaseFacts, now: Date, policy: QuarantinePolicy): boolean;
}

export const RELEASE_RULES: readonly ReleaseRule[] = [
  {
    id: 'success_after_error',
    description: 'a message to the address was sent after its last error',
    releases: (q) => q.lastSuccessAt !== null && (q.lastErrorAt === null || q.lastSuccessAt > q.lastErrorAt),
  },
  {
    id: 'soft_error_aged',
    description: 'the last soft error is older than softErrorReleaseDays (when its error count would restart too)',
    releases: (q, now, p) => q.lastErrorAt !== null && q.lastErrorAt.getTime() < now.getTime() - p.resetAfterMs,
  },
  {
    id: 'mailbox_full_aged',
    description: 'a full mailbox is released mailboxFullReleaseDays after its first error, even if it keeps failing',
    releases: (q, now, p) => q.failureReason === 'mailbox_full' && q.createdAt.getTime() < now.getTime() - p.mailboxFullReleaseMs,
  },
];

/** The id of the first rule that releases the address, or null to keep it "with errors". */
export function releaseRule(q: ReleaseFacts, now: Date, policy: QuarantinePolicy): string | null {
  return RELEASE_RULES.find((rule) => rule.releases(q, now, policy))?.id ?? null;
}
