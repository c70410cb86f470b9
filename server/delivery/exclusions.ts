import { addressProblem, normalizeAddress } from '../shared/email-address.js';
import type { Channel, EmailFormat, FailureReason, QuarantineStatus } from '../shared/glossary.js';
import { isE164 } from '../shared/phone-number.js';
import type { AddressSet } from './address-set.js';
import type { ExclusionSettings } from './target-spec.js';

/**
 * The exclusion rules of an analysis, applied to one targeted recipient at a time, in this order
 * (the first that applies is the reason logged): empty address, invalid address, duplicate address,
 * recipient denylisted (all channels or the delivery's channel), address quarantined or denylisted
 * on the delivery's channel, over the limit. The channel decides which address is checked (the
 * email address, compared in lower case; the mobile or fax number, in E.164; the push subscription;
 * the postal address as one lower-case line) and
 * which opt-out applies.
 * Pure; the shell looks the quarantine statuses up per batch and passes them in.
 */

export interface Candidate {
  recipientId: number | null;
  email: string | null;
  emailFormat: EmailFormat;
  denylisted: boolean;
  denylistedEmail: boolean;
  mobile?: string | null;
  denylistedSms?: boolean;
  /** One of the recipient's active push subscriptions (`push:<id>`): a push target has a candidate per browser. */
  pushSubscription?: string | null;
  denylistedPush?: boolean;
  /** The postal address as one line (server/shared/postal-address.ts), and what it lacks. */
  postalAddress?: string | null;
  postalProblem?: string;
  denylistedPostal?: boolean;
  fax?: string | null;
  denylistedFax?: boolean;
}

export type Decision = { deliver: true; address: string } | { deliver: false; address: string | null; reason: FailureReason; detail?: string };

export interface ExclusionState {
  readonly settings: ExclusionSettings;
  readonly seen: AddressSet;
  /** The delivery's channel (email when not given). */
  readonly channel?: Channel;
  accepted: number;
}

/** A push message's address: the subscription it goes to (see pushAddress in server/db/repos/push.ts). */
const PUSH_ADDRESS = /^push:[1-9][0-9]{0,15}$/;

/** Per channel: the address a candidate is sent to, why it cannot be used, and the channel's opt-out. */
interface ChannelAddress {
  address(c: Candidate): string;
  problem(address: string, c: Candidate): string | undefined;
  optedOut(c: Candidate): boolean;
  optOutDetail: string;
}

const CHANNEL_ADDRESSES: Record<Channel, ChannelAddress> = {
  email: {
    address: (c) => normalizeAddress(c.email),
    problem: addressProblem,
    optedOut: (c) => c.denylistedEmail,
    optOutDetail: 'recipient denylisted for email',
  },
  sms: {
    address: (c) => (c.mobile ?? '').trim(),
    problem: (a) => (isE164(a) ? undefined : `mobile number "${a.slice(0, 40)}" is not in E.164 form (+<country code><number>)`),
    optedOut: (c) => Boolean(c.denylistedSms),
    optOutDetail: 'recipient denylisted for SMS',
  },
  push: {
    address: (c) => c.pushSubscription ?? '',
    problem: (a) => (PUSH_ADDRESS.test(a) ? undefined : `"${a.slice(0, 40)}" names no push subscription`),
    optedOut: (c) => Boolean(c.denylistedPush),
    optOutDetail: 'recipient denylisted for push',
  },
  direct_mail: {
    address: (c) => c.postalAddress ?? '',
    problem: (_a, c) => c.postalProblem,
    optedOut: (c) => Boolean(c.denylistedPostal),
    optOutDetail: 'recipient denylisted for direct mail',
  },
  fax: {
    address: (c) => (c.fax ?? '').trim(),
    problem: (a) => (isE164(a) ? undefined : `fax number "${a.slice(0, 40)}" is not in E.164 form (+<country code><number>)`),
    optedOut: (c) => Boolean(c.denylistedFax),
    optOutDetail: 'recipient denylisted for fax',
  },
};

/** The address a candidate would be sent to on `channel` ('' for none). */
export const channelAddress = (c: Candidate, channel: Channel = 'email'): string => CHANNEL_ADDRESSES[channel].address(c);

/** Whether the address passes the checks that need no database (for the quarantine lookup). */
export function precheck(c: Candidate, channel: Channel = 'email'): string | undefined {
  const rules = CHANNEL_ADDRESSES[channel];
  const address = rules.address(c);
  return address && !rules.problem(address, c) ? address : undefined;
}

export function decide(c: Candidate, quarantine: QuarantineStatus | undefined, state: ExclusionState): Decision {
  const rules = CHANNEL_ADDRESSES[state.channel ?? 'email'];
  const address = rules.address(c);
  const s = state.settings;
  if (!address) return { deliver: false, address: null, reason: 'address_not_specified' };
  const problem = rules.problem(address, c);
  if (problem) return { deliver: false, address: address.slice(0, 320), reason: 'invalid_address', detail: problem };
  if (state.seen.addSeen(address) && s.duplicates) return { deliver: false, address, reason: 'duplicate' };
  if (s.denylisted && (c.denylisted || rules.optedOut(c)))
    return { deliver: false, address, reason: 'denylisted', detail: c.denylisted ? 'recipient denylisted on every channel' : rules.optOutDetail };
  if (s.quarantined && quarantine === 'quarantine') return { deliver: false, address, reason: 'quarantined' };
  if (s.denylisted && quarantine === 'denylisted') return { deliver: false, address, reason: 'denylisted', detail: 'address denylisted' };
  if (s.limit !== null && state.accepted >= s.limit) return { deliver: false, address, reason: 'target_limited' };
  state.accepted++;
  return { deliver: true, address };
}
