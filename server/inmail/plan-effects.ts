import type { Analysis } from '../bounce/analyse.js';
import { DEFAULT_CLASSIFICATION } from '../bounce/classify.js';
import type { FailureRecord } from '../bounce/record-failures.js';
import type { Classification, ParsedBounce } from '../bounce/types.js';
import type { BroadLogTarget } from '../db/repos/broad-log-failures.js';
import type { KeptMessage } from '../db/repos/inbound-messages.js';
import type { Unsubscribe } from '../db/repos/subscriptions.js';
import type { Match } from './match.js';
import type { ParseOutcome } from './parser-pool.js';
import type { Envelope } from './spool.js';

/**
 * What one inbound message changes, decided without I/O: a broad-log failure (with its
 * quarantine consequence), an unsubscribe, or a copy kept for review with the reason. Only a
 * signed identifier ever leads to a change; delay warnings and success notices change nothing.
 */

export interface Inbound {
  spoolId: string;
  envelope: Envelope;
  size: number;
  outcome: ParseOutcome;
  match: Match;
}

export interface PlanContext {
  broadLogs: ReadonlyMap<number, BroadLogTarget>;
  /** Service of each delivery (null: none). */
  services: ReadonlyMap<number, number | null>;
}

export type KeepDecision = Pick<KeptMessage, 'status' | 'kind' | 'reason'>;

export interface Plan {
  spoolId: string;
  failure?: FailureRecord;
  unsubscribe?: Unsubscribe;
  keep?: KeepDecision;
  /** How the message was matched, for the log. */
  matchedBy?: 'verp' | 'reference' | 'unsubscribe';
}

const NOT_FAILURES = new Set(['delayed', 'delivered', 'relayed', 'expanded']);

/** The reported recipient that is about our broad log's address (else the first failed one). */
function recipientIndex(parsed: ParsedBounce, address: string): number {
  const own = parsed.recipients.findIndex((r) => r.address === address.toLowerCase());
  if (own >= 0) return own;
  const failed = parsed.recipients.findIndex((r) => !r.action || r.action === 'failed');
  return failed >= 0 ? failed : 0;
}

function failureFor(analysis: Analysis, target: BroadLogTarget): FailureRecord | undefined {
  const { parsed, classifications } = analysis;
  const i = recipientIndex(parsed, target.address);
  const recipient = parsed.recipients[i];
  if (recipient?.action && NOT_FAILURES.has(recipient.action)) return undefined;
  const c: Classification = classifications[i] ?? DEFAULT_CLASSIFICATION;
  const text = recipient?.text || parsed.subject || `${parsed.kind} without diagnostic text`;
  return {
    broadLogId: target.id,
    deliveryId: target.deliveryId,
    address: target.address,
    type: c.type,
    reason: c.reason,
    rule: c.rule,
    qualified: c.qualified,
    ...(c.denylist ? { denylist: true } : {}),
    text,
    markFailed: c.type !== 'ignored',
  };
}

function kindOf(outcome: ParseOutcome): KeptMessage['kind'] {
  return outcome.ok ? outcome.analysis.parsed.kind : 'unknown';
}

function keep(inbound: Inbound, status: KeepDecision['status'], reason: string, kind = kindOf(inbound.outcome)): Plan {
  return { spoolId: inbound.spoolId, keep: { status, kind, reason } };
}

function complaint(inbound: Inbound, analysis: Analysis, target: BroadLogTarget, ctx: PlanContext): Plan {
  const plan: Plan = { spoolId: inbound.spoolId, matchedBy: inbound.match.kind === 'verp' ? 'verp' : 'reference' };
  if (target.recipientId !== null)
    plan.unsubscribe = { recipientId: target.recipientId, serviceId: ctx.services.get(target.deliveryId) ?? 0, origin: 'complaint' };
  // A spam complaint is not a failure: the message stays delivered; the address is denylisted and the complaint counted.
  const failure = analysis.parsed.feedback?.feedbackType !== 'opt-out' ? failureFor(analysis, target) : undefined;
  if (failure) plan.failure = { ...failure, markFailed: false, complaint: true };
  return plan;
}

export function planEffects(inbound: Inbound, ctx: PlanContext): Plan {
  const { match, outcome } = inbound;
  if (match.kind === 'unsubscribe') {
    const { recipientId, serviceId } = match.claims;
    return { spoolId: inbound.spoolId, matchedBy: 'unsubscribe', unsubscribe: { recipientId, serviceId, origin: 'mailto' } };
  }
  if (match.kind === 'forged') return keep(inbound, 'forged', match.reason, match.unsubscribe ? 'unsubscribe' : undefined);
  if (!outcome.ok) return keep(inbound, 'unparsable', outcome.reason);
  if (match.kind === 'none') return keep(inbound, 'unmatched', 'no signed VERP address or Message-ID of ours');
  const target = ctx.broadLogs.get(match.ids.broadLogId);
  if (!target || target.deliveryId !== match.ids.deliveryId)
    return keep(inbound, 'unmatched', `broad log ${match.ids.broadLogId} of delivery ${match.ids.deliveryId} not found`);
  const analysis = outcome.analysis;
  if (analysis.parsed.kind === 'not_bounce') return keep(inbound, 'unmatched', 'a reply that is not a bounce');
  if (analysis.parsed.kind === 'arf') return complaint(inbound, analysis, target, ctx);
  const failure = failureFor(analysis, target);
  return { spoolId: inbound.spoolId, matchedBy: match.kind, ...(failure ? { failure } : {}) };
}
