import { addressProblem, normalizeAddress } from '../shared/email-address.js';
import type { EmailFormat, FailureReason, QuarantineStatus } from '../shared/glossary.js';
import type { AddressSet } from './address-set.js';
import type { ExclusionSettings } from './target-spec.js';

/**
 * The exclusion rules of an analysis, applied to one targeted recipient at a time, in this order
 * (the first that applies is the reason logged): empty address, invalid address, duplicate address
 * (same address, compared in lower case), recipient denylisted (all channels or email), address
 * quarantined or denylisted, over the limit. Pure; the shell looks the quarantine statuses up per
 * batch and passes them in.
 */

export interface Candidate {
  recipientId: number | null;
  email: string | null;
  emailFormat: EmailFormat;
  denylisted: boolean;
  denylistedEmail: boolean;
}

export type Decision = { deliver: true; address: string } | { deliver: false; address: string | null; reason: FailureReason; detail?: string };

export interface ExclusionState {
  readonly settings: ExclusionSettings;
  readonly seen: AddressSet;
  accepted: number;
}

/** Whether the address passes the checks that need no database (for the quarantine lookup). */
export function precheck(c: Candidate): string | undefined {
  const address = normalizeAddress(c.email);
  return address && !addressProblem(address) ? address : undefined;
}

export function decide(c: Candidate, quarantine: QuarantineStatus | undefined, state: ExclusionState): Decision {
  const address = normalizeAddress(c.email);
  const s = state.settings;
  if (!address) return { deliver: false, address: null, reason: 'address_not_specified' };
  const problem = addressProblem(address);
  if (problem) return { deliver: false, address: address.slice(0, 320), reason: 'invalid_address', detail: problem };
  if (state.seen.addSeen(address) && s.duplicates) return { deliver: false, address, reason: 'duplicate' };
  if (s.denylisted && (c.denylisted || c.denylistedEmail))
    return { deliver: false, address, reason: 'denylisted', detail: c.denylisted ? 'recipient denylisted on every channel' : 'recipient denylisted for email' };
  if (s.quarantined && quarantine === 'quarantine') return { deliver: false, address, reason: 'quarantined' };
  if (s.denylisted && quarantine === 'denylisted') return { deliver: false, address, reason: 'denylisted', detail: 'address denylisted' };
  if (s.limit !== null && state.accepted >= s.limit) return { deliver: false, address, reason: 'target_limited' };
  state.accepted++;
  return { deliver: true, address };
}
