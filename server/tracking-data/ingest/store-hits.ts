import type { Database, WriteTransaction } from '../../db/connect.js';
import {
  broadLogRefs,
  existingHitIds,
  hitsOfBroadLogs,
  insertTrackingLogs,
  linkCounts,
  saveCheckpoint,
  setBotFlags,
  type BroadLogRef,
  type NewTrackingLog,
} from '../../db/repos/tracking-logs.js';
import { classifyRecipientHits, type RecipientHit } from './classify-hits.js';
import { toTrackingRow } from './hit-rows.js';

/**
 * Stores one page of pulled hits in one transaction: skip hits already stored (by hit id), link
 * each to its recipient, classify bots over each message's hits (new and earlier ones), insert,
 * and move the server's checkpoint. A page stored twice changes nothing.
 */
export interface StoreResult {
  inserted: number;
  duplicates: number;
  invalid: number;
  deliveries: Set<number>;
}

export async function storeHits(db: Database, server: string, raw: readonly unknown[], next: string, now: Date): Promise<StoreResult> {
  const rows = new Map<string, NewTrackingLog>();
  for (const hit of raw) {
    const row = toTrackingRow(hit, server);
    if (row) rows.set(row.hitId, row);
  }
  return db.write(async (transaction) => {
    const existing = await existingHitIds(db, [...rows.keys()], transaction);
    const fresh = [...rows.values()].filter((r) => !existing.has(r.hitId));
    const messages = await broadLogRefs(db, unique(fresh.map((r) => r.broadLogId)), transaction);
    for (const row of fresh) {
      const message = row.broadLogId === null ? undefined : messages.get(row.broadLogId);
      if (message && message.deliveryId === row.deliveryId) row.recipientId = message.recipientId;
    }
    const changes = await classify(db, fresh, messages, transaction);
    await insertTrackingLogs(db, fresh, now, transaction);
    await setBotFlags(db, changes, transaction);
    await saveCheckpoint(db, server, next, now, transaction);
    return {
      inserted: fresh.length,
      duplicates: rows.size - fresh.length,
      invalid: raw.length - rows.size,
      deliveries: new Set(fresh.map((r) => r.deliveryId)),
    };
  });
}

function unique(values: ReadonlyArray<number | null>): number[] {
  return [...new Set(values.filter((v): v is number => v !== null))];
}

/** Sets the bot flag of the fresh rows; returns the earlier rows whose flag changes. */
async function classify(
  db: Database,
  fresh: NewTrackingLog[],
  messages: Map<number, BroadLogRef>,
  transaction: WriteTransaction,
): Promise<Array<{ id: number; bot: string | null }>> {
  const earlier = await hitsOfBroadLogs(db, unique(fresh.map((r) => r.broadLogId)), transaction);
  const links = await linkCounts(db, unique(fresh.map((r) => r.deliveryId)), transaction);
  const groups = new Map<number | string, { deliveryId: number; hits: RecipientHit[] }>();
  const add = (message: number | null, key: string, deliveryId: number, hit: Omit<RecipientHit, 'key'>) => {
    const id = message ?? key;
    const group = groups.get(id) ?? { deliveryId, hits: [] };
    group.hits.push({ key, ...hit });
    groups.set(id, group);
  };
  for (const r of earlier) add(r.broadLogId, r.hitId, r.deliveryId, { urlId: r.urlId, type: r.urlType, at: r.loggedAt.getTime(), userAgent: r.userAgent });
  for (const r of fresh) add(r.broadLogId, r.hitId, r.deliveryId, { urlId: r.urlId, type: r.urlType, at: r.loggedAt.getTime(), userAgent: r.userAgent });
  const reasons = new Map<string, string | null>();
  for (const [id, group] of groups) {
    const sentAt = typeof id === 'number' ? (messages.get(id)?.sentAt?.getTime() ?? null) : null;
    for (const [key, reason] of classifyRecipientHits(group.hits, { sentAt, links: links.get(group.deliveryId) ?? 0 })) reasons.set(key, reason);
  }
  for (const row of fresh) row.bot = reasons.get(row.hitId) ?? null;
  return earlier.filter((r) => (reasons.get(r.hitId) ?? null) !== r.bot).map((r) => ({ id: r.id, bot: reasons.get(r.hitId) ?? null }));
}
