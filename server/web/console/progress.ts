import type { Delivery } from '../../db/models/index.js';
import { ACTIVE_STATES, type FailureReason } from '../../shared/glossary.js';
import type { Translate } from '../i18n/translate.js';
import { isLive } from './delivery-buttons.js';

/**
 * A delivery's progress as the dashboard shows it and streams it (server-sent events): counters of
 * the delivery row (kept by the MTA), failures by reason, pending messages, throughput. Labels are
 * translated here so the page's script only copies text. Pure.
 */

export interface Progress {
  state: string;
  stateLabel: string;
  live: boolean;
  /** A transactional delivery has no fixed target: its messages arrive with the events. */
  transactional: boolean;
  toDeliver: number;
  processed: number;
  sent: number;
  failed: number;
  /** Addresses this delivery put into quarantine or on the denylist. */
  newQuarantine: number;
  pending: number;
  /** Processed share of the messages to deliver, 0–100. */
  percent: number;
  /** Messages per minute: recent while sending, the average once ended; null when unknown. */
  perMinute: number | null;
  failures: Array<{ reason: string; label: string; messages: number }>;
}

type Counters = Pick<Delivery, 'state' | 'toDeliver' | 'processed' | 'sent' | 'failed' | 'newQuarantine' | 'startedAt' | 'finishedAt'> &
  Partial<Pick<Delivery, 'kind'>>;

/**
 * The average rate between start and end (or `now`), in messages per minute. A send shorter than a
 * second has a rate too (ten proofs in 0.2 s: 3,000 a minute); only nothing processed yet, or no
 * time measured at all, has none.
 */
export function averagePerMinute(d: Counters, now: Date): number | null {
  if (!d.startedAt) return null;
  const ms = (d.finishedAt ?? now).getTime() - d.startedAt.getTime();
  if (ms <= 0) return d.processed === 0 ? 0 : null;
  return Math.round((d.processed * 60_000) / ms);
}

export function progressOf(
  d: Counters,
  failures: ReadonlyArray<{ reason: FailureReason | null; messages: number }>,
  recentPerMinute: number | undefined,
  now: Date,
  t: Translate,
  /** For a transactional delivery: its messages waiting to be sent (counted on the broad logs). */
  queued = 0,
): Progress {
  const active = ACTIVE_STATES.includes(d.state);
  const transactional = d.kind === 'transactional';
  // A transactional delivery's target grows with each event: what it received is what was processed plus what waits.
  const toDeliver = transactional ? d.processed + queued : d.toDeliver;
  const pending = transactional ? queued : active ? Math.max(0, d.toDeliver - d.processed) : 0;
  return {
    state: d.state,
    stateLabel: t(`delivery.state.${d.state}`),
    live: isLive(d.state),
    transactional,
    toDeliver,
    processed: d.processed,
    sent: d.sent,
    failed: d.failed,
    newQuarantine: d.newQuarantine,
    pending,
    percent: toDeliver > 0 ? Math.min(100, Math.round((1000 * d.processed) / toDeliver) / 10) : 0,
    perMinute: active ? (recentPerMinute ?? averagePerMinute(d, now)) : averagePerMinute(d, now),
    failures: failures.map((f) => ({ reason: f.reason ?? 'not_defined', label: t(`reason.${f.reason ?? 'not_defined'}`), messages: f.messages })),
  };
}

/**
 * A running delivery's line on the monitoring page: messages processed out of its total. A
 * transactional delivery's total is what it received so far (processed plus waiting), not its
 * target count, which stays 0 (it has no target).
 */
export function queueLine<D extends Counters>(d: D, pending: { due: number; later: number }) {
  const transactional = d.kind === 'transactional';
  return { delivery: d, pending, transactional, total: transactional ? d.processed + pending.due + pending.later : d.toDeliver };
}
