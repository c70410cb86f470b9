import type { BroadLogStatus, EventStatus } from '../shared/glossary.js';

/**
 * An event's status (glossary EVENT_STATUSES), derived from the broad log of its message: the
 * message is the single source of truth, so the status follows the MTA and the bounce processing
 * without any write on the event. Pure.
 */
const BY_MESSAGE: Record<BroadLogStatus, EventStatus> = {
  pending: 'pending',
  sent: 'sent',
  failed: 'delivery_error',
  ignored: 'delivery_error',
  cancelled: 'expired',
};

/** `message` is null when the broad log was purged (older than the broad log retention). */
export function eventStatus(routing: 'routed' | 'not_covered', message: { status: BroadLogStatus } | null): EventStatus {
  if (routing === 'not_covered') return 'not_covered';
  return message ? BY_MESSAGE[message.status] : 'expired';
}
