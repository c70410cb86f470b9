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

type Counters = Pick<Delivery, 'state' | 'toDeliver' | 'processed' | 'sent' | 'failed' | 'newQuarantine' | 'startedAt' | 'finishedAt'>;

/** The average rate between start and end (or `now`), in messages per minute. */
export function averagePerMinute(d: Counters, now: Date): number | null {
  if (!d.startedAt) return null;
  const ms = (d.finishedAt ?? now).getTime() - d.startedAt.getTime();
  return ms >= 1000 ? Math.round((d.processed * 60_000) / ms) : null;
}

export function progressOf(
  d: Counters,
  failures: ReadonlyArray<{ reason: FailureReason | null; messages: number }>,
  recentPerMinute: number | undefined,
  now: Date,
  t: Translate,
): Progress {
  const active = ACTIVE_STATES.includes(d.state);
  const pending = active ? Math.max(0, d.toDeliver - d.processed) : 0;
  return {
    state: d.state,
    stateLabel: t(`delivery.state.${d.state}`),
    live: isLive(d.state),
    toDeliver: d.toDeliver,
    processed: d.processed,
    sent: d.sent,
    failed: d.failed,
    newQuarantine: d.newQuarantine,
    pending,
    percent: d.toDeliver > 0 ? Math.min(100, Math.round((1000 * d.processed) / d.toDeliver) / 10) : 0,
    perMinute: active ? (recentPerMinute ?? averagePerMinute(d, now)) : averagePerMinute(d, now),
    failures: failures.map((f) => ({ reason: f.reason ?? 'not_defined', label: t(`reason.${f.reason ?? 'not_defined'}`), messages: f.messages })),
  };
}
