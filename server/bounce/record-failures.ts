import { createHash } from 'node:crypto';
import type { Database, WriteTransaction } from '../db/connect.js';
import { recordBounceTexts, type BounceTextInput } from '../db/repos/bounce-texts.js';
import { broadLogsByIds, markBroadLogFailures, markComplained, type BroadLogTarget } from '../db/repos/broad-log-failures.js';
import { addComplaints, addDeliveryCounts, addNewQuarantines } from '../db/repos/delivery-counters.js';
import { counterDelta, type DeliveryCounts } from '../shared/delivery-counters.js';
import { quarantinesOf, saveQuarantines, type QuarantineRecord } from '../db/repos/quarantines.js';
import type { Channel, FailureReason, FailureType, QuarantineStatus } from '../shared/glossary.js';
import { normalizeBounceText } from './normalize-text.js';
import { compactText } from './smtp-reply.js';
import { nextQuarantine, type QuarantinePolicy } from './quarantine-policy.js';

/**
 * Writes classified failures: the bounce text (counted), the broad log (failure type, reason,
 * text, bounce text → rule), the address's quarantine state by the policy, and the delivery's
 * counters — addresses it newly quarantined, and sent / failed when a message that had been sent
 * fails later (an asynchronous bounce) — so the counters never wait for the indicators workflow.
 * A spam complaint is not a failure: the message stays sent, the address is denylisted, the
 * delivery's complaints counter moves (once per message). Shared by the MTA (SMTP replies) and
 * inMail (bounces and complaints); runs inside the caller's write transaction.
 */

export interface FailureRecord {
  broadLogId: number;
  deliveryId: number;
  /** The broad log's address (the one quarantined). */
  address: string;
  type: FailureType;
  reason: FailureReason;
  rule: string;
  qualified: boolean;
  denylist?: boolean;
  /** The raw diagnostic text. */
  text: string;
  /** Set the broad log to failed (false for ignored failures: the message stays as it was). */
  markFailed: boolean;
  /** A spam complaint about a message that was delivered: it stays delivered (only denylisted and counted). */
  complaint?: boolean;
  /** false: leave the address's quarantine alone (the connection failed, the address was never tried). */
  quarantine?: boolean;
}

export interface RecordedFailures {
  quarantined: number;
  denylisted: number;
}

const MAX_TEXT = 1000;
/** Statuses in which an address gets no mail: entering one of them counts as a new quarantine. */
const BLOCKED = new Set<QuarantineStatus | undefined>(['quarantine', 'denylisted']);

function bounceText(record: FailureRecord): BounceTextInput {
  const text = normalizeBounceText(record.text) || '(empty)';
  return {
    hash: createHash('sha256').update(text).digest('hex'),
    text,
    firstText: record.text || '(empty)',
    failureType: record.type,
    failureReason: record.reason,
    rule: record.rule.slice(0, 100),
    status: record.qualified ? 'keep' : 'to_qualify',
  };
}

async function applyQuarantines(
  db: Database,
  records: readonly FailureRecord[],
  now: Date,
  policy: QuarantinePolicy,
  transaction: WriteTransaction,
  channel: Channel,
): Promise<RecordedFailures> {
  const addresses = records.map((r) => r.address.toLowerCase());
  const current = await quarantinesOf(db, addresses, transaction, channel);
  const existing = new Set(current.keys());
  const changed = new Map<string, QuarantineRecord>();
  const result: RecordedFailures = { quarantined: 0, denylisted: 0 };
  const newByDelivery = new Map<number, number>();
  records.forEach((record, i) => {
    const address = addresses[i]!;
    const before = current.get(address);
    const failure = { type: record.type, reason: record.reason, denylist: record.denylist, text: record.text, deliveryId: record.deliveryId };
    const after = nextQuarantine(before, failure, now, policy);
    if (!after || after === before) return;
    if (after.status === 'quarantine' && before?.status !== 'quarantine') result.quarantined++;
    if (after.status === 'denylisted' && before?.status !== 'denylisted') result.denylisted++;
    if (BLOCKED.has(after.status) && !BLOCKED.has(before?.status)) newByDelivery.set(record.deliveryId, (newByDelivery.get(record.deliveryId) ?? 0) + 1);
    const row = { ...after, address };
    current.set(address, row);
    changed.set(address, row);
  });
  await saveQuarantines(db, [...changed.values()], existing, now, transaction, channel);
  await addNewQuarantines(db, newByDelivery, transaction);
  return result;
}

export async function recordFailuresIn(
  db: Database,
  records: readonly FailureRecord[],
  now: Date,
  policy: QuarantinePolicy,
  transaction: WriteTransaction,
  /** The channel of the records' addresses (their quarantine rows are that channel's). */
  channel: Channel = 'email',
): Promise<RecordedFailures> {
  if (records.length === 0) return { quarantined: 0, denylisted: 0 };
  records = records.map((r) => ({ ...r, text: compactText(r.text, MAX_TEXT) }));
  const texts = records.map(bounceText);
  const ids = await recordBounceTexts(db, texts, now, transaction);
  const failures = records.flatMap((r, i) => (r.complaint ? [] : [{ record: r, bounceTextId: ids.get(texts[i]!.hash) ?? null }]));
  const failing = failures.filter((f) => f.record.markFailed).map((f) => f.record.broadLogId);
  const before = failing.length ? await broadLogsByIds(db, failing, transaction) : new Map<number, BroadLogTarget>();
  await markBroadLogFailures(
    db,
    failures.map(({ record: r, bounceTextId }) => ({
      id: r.broadLogId,
      status: r.markFailed ? 'failed' : undefined,
      failureType: r.type,
      failureReason: r.reason,
      failureText: r.text,
      bounceTextId,
    })),
    now,
    transaction,
  );
  await addDeliveryCounts(db, countMoves(before, failing), transaction);
  const complaints = records.filter((r) => r.complaint);
  if (complaints.length) {
    const counted = await markComplained(
      db,
      complaints.map((r) => r.broadLogId),
      now,
      transaction,
    );
    await addComplaints(db, counted, transaction);
  }
  return applyQuarantines(
    db,
    records.filter((r) => r.quarantine !== false),
    now,
    policy,
    transaction,
    channel,
  );
}

/** How each delivery's counters move when the given messages (read before the change) become failed. */
function countMoves(before: ReadonlyMap<number, BroadLogTarget>, failed: readonly number[]): Map<number, DeliveryCounts> {
  const out = new Map<number, DeliveryCounts>();
  for (const id of new Set(failed)) {
    const row = before.get(id);
    if (!row || row.status === 'failed') continue;
    const d = counterDelta(row.status, 'failed');
    const c = out.get(row.deliveryId) ?? { processed: 0, sent: 0, failed: 0 };
    out.set(row.deliveryId, { processed: c.processed + d.processed, sent: c.sent + d.sent, failed: c.failed + d.failed });
  }
  return out;
}

/** recordFailuresIn() in its own write transaction. */
export function recordFailures(db: Database, records: readonly FailureRecord[], now: Date, policy: QuarantinePolicy): Promise<RecordedFailures> {
  return db.write((transaction) => recordFailuresIn(db, records, now, policy, transaction));
}
