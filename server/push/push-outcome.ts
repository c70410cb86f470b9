import type { FailureRecord } from '../bounce/record-failures.js';
import type { ClaimedMessage, Settlement } from '../db/repos/mta-queue.js';

/**
 * What a push service's answer to one notification means for its message (pure): 2xx sent; 404 or
 * 410 (the subscription is gone, RFC 8030 section 7.3) fails it hard and quarantines the
 * subscription; 429, 5xx and network errors defer it (an attempt counted, the message sent again
 * after retryDelaySec, or after the service's Retry-After when longer); any other 4xx (a
 * malformed request, a payload too large, a VAPID key the service refuses) fails it without
 * touching the subscription.
 */

export type PushAnswer = { status: number; body: string; retryAfterSec?: number } | { error: string };

export interface PushOutcome {
  settlement: Settlement;
  failure?: FailureRecord;
  /** The subscription to expire (404, 410). */
  expire?: { id: number; text: string };
}

export function pushOutcome(m: ClaimedMessage, subscriptionId: number, answer: PushAnswer, now: Date, retryDelaySec: number): PushOutcome {
  const base = { id: m.id, deliveryId: m.deliveryId };
  if ('error' in answer)
    return {
      settlement: {
        ...base,
        status: 'deferred',
        nextAttemptAt: later(now, retryDelaySec),
        type: 'soft',
        reason: 'unreachable',
        text: answer.error,
        countAttempt: true,
      },
    };
  const text = `${answer.status} ${answer.body}`.trim().slice(0, 1000);
  if (answer.status >= 200 && answer.status < 300) return { settlement: { ...base, status: 'sent', response: text } };
  if (answer.status === 404 || answer.status === 410) {
    const failure: FailureRecord = {
      broadLogId: m.id,
      deliveryId: m.deliveryId,
      address: m.address,
      type: 'hard',
      reason: 'user_unknown',
      rule: `push ${answer.status}`,
      qualified: true,
      text,
      markFailed: false, // settle() marks it failed and counts it
    };
    return { settlement: { ...base, status: 'failed', type: 'hard', reason: 'user_unknown', text }, failure, expire: { id: subscriptionId, text } };
  }
  if (answer.status === 429 || answer.status >= 500) {
    const wait = Math.max(retryDelaySec, answer.retryAfterSec ?? 0);
    return { settlement: { ...base, status: 'deferred', nextAttemptAt: later(now, wait), type: 'soft', reason: 'unreachable', text, countAttempt: true } };
  }
  return { settlement: { ...base, status: 'failed', type: 'hard', reason: 'refused', text } };
}

const later = (now: Date, seconds: number) => new Date(now.getTime() + seconds * 1000);
