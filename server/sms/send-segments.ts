import type { ClaimedMessage } from '../db/repos/mta-queue.js';
import type { SubmitRow } from '../db/repos/sms.js';
import type { BuiltSms } from '../delivery/sms/build-sms.js';
import type { SmppConnector } from './smpp-connector.js';
import type { Outcome } from './sms-writer.js';

/**
 * Submits the segments of one message, in order, on one connector, and turns the SMSC's answers
 * into the message's outcome: sent (every segment accepted, their message ids recorded for the
 * receipts); deferred without counting an attempt when no connection is bound ("Not connected")
 * or the SMSC keeps asking to slow down; deferred with an attempt counted on a temporary refusal;
 * failed on a final refusal — hard, with the number quarantined, when the SMSC says the number is
 * invalid.
 */

/** Throttling answers tolerated for one segment before the message goes back to the queue. */
const MAX_THROTTLED = 20;

export async function sendSegments(connector: SmppConnector | undefined, m: ClaimedMessage, sms: BuiltSms, now: Date, retryDelaySec: number): Promise<Outcome> {
  const base = { id: m.id, deliveryId: m.deliveryId };
  const nextAttemptAt = new Date(now.getTime() + retryDelaySec * 1000);
  const notConnected = (text: string): Outcome => ({
    settlement: { ...base, status: 'deferred', nextAttemptAt, type: 'soft', reason: 'not_connected', text, countAttempt: false },
  });
  if (!connector) return notConnected('no SMSC connection is bound');
  const submits: SubmitRow[] = [];
  for (const [i, segment] of sms.segments.entries()) {
    let result = await connector.submit({ destination: m.address, ...segment, receipt: true });
    for (let tries = 1; result.kind === 'throttled' && tries < MAX_THROTTLED; tries++)
      result = await connector.submit({ destination: m.address, ...segment, receipt: true });
    switch (result.kind) {
      case 'accepted':
        submits.push({ connector: connector.name, messageId: result.messageId, broadLogId: m.id, deliveryId: m.deliveryId, part: i + 1 });
        continue;
      case 'not_connected':
        return notConnected(result.text);
      case 'throttled':
        return {
          settlement: {
            ...base,
            status: 'deferred',
            nextAttemptAt,
            type: 'soft',
            reason: 'refused',
            text: `the SMSC kept throttling (status ${result.status})`,
            countAttempt: false,
          },
        };
      case 'rejected': {
        const text = `${connector.name}: ${result.text}`;
        if (result.temporary) return { settlement: { ...base, status: 'deferred', nextAttemptAt, type: 'soft', reason: 'refused', text, countAttempt: true } };
        const failure = result.invalidNumber
          ? { type: 'hard' as const, reason: 'user_unknown' as const }
          : { type: 'soft' as const, reason: 'refused' as const };
        return {
          settlement: { ...base, status: 'failed', ...failure, text },
          failure: {
            broadLogId: m.id,
            deliveryId: m.deliveryId,
            address: m.address,
            ...failure,
            rule: 'smpp-submit',
            qualified: true,
            text,
            markFailed: false,
          },
        };
      }
    }
  }
  return {
    settlement: { ...base, status: 'sent', response: `${connector.name}: ${submits.map((s) => s.messageId).join(' ')}`, address: m.address },
    submits,
    segments: sms.segments.length,
  };
}
