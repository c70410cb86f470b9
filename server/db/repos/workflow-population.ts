import { Op, type WhereOptions } from 'sequelize';
import { chunks } from '../chunks.js';
import type { Database } from '../connect.js';
import type { Condition } from '../filters/recipient-condition.js';
import { notErased, recipientWhere } from '../filters/recipient-where.js';
import { expandSegments } from './segments.js';

/**
 * The populations marketing workflows work on: recipient ids selected by conditions, the history of
 * incremental queries, and reactions (opens, clicks) to a delivery from the tracking logs.
 */

const PAGE = 5000;
export interface PopulationQuery {
  where?: Condition;
  now: Date;
  /** Filter this population instead of every recipient (order kept). */
  within?: readonly number[];
  /** Leave out the recipients this incremental query already targeted. */
  notTargetedBy?: { workflowId: number; activity: string };
}

/** Recipient ids matching the query (erased recipients never match). */
export async function queryRecipientIds(db: Database, q: PopulationQuery): Promise<number[]> {
  const { Recipient } = db.models;
  const base: WhereOptions[] = [notErased];
  if (q.where) base.push(recipientWhere(db.sequelize, await expandSegments(db, q.where), q.now));
  if (q.notTargetedBy) base.push({ id: { [Op.notIn]: targetedSubquery(db, q.notTargetedBy) } });
  if (q.within) {
    const matched = new Set<number>();
    for (const chunk of chunks(q.within)) {
      const rows = await Recipient.findAll({ attributes: ['id'], where: { [Op.and]: [...base, { id: chunk }] }, raw: true });
      for (const r of rows) matched.add(Number(r.id));
    }
    return q.within.filter((id) => matched.has(id));
  }
  const ids: number[] = [];
  for (let after = 0; ;) {
    const rows = await Recipient.findAll({
      attributes: ['id'],
      where: { [Op.and]: [...base, { id: { [Op.gt]: after } }] },
      order: [['id', 'ASC']],
      limit: PAGE,
      raw: true,
    });
    if (rows.length === 0) return ids;
    for (const r of rows) ids.push(Number(r.id));
    after = ids[ids.length - 1]!;
  }
}

function targetedSubquery(db: Database, by: { workflowId: number; activity: string }) {
  const esc = (v: string | number) => db.sequelize.escape(v);
  return db.sequelize.literal(
    `(SELECT t.recipient_id FROM workflow_targets t WHERE t.workflow_id = ${esc(by.workflowId)} AND t.activity = ${esc(by.activity)})`,
  );
}

/** Records that an incremental query targeted these recipients (already recorded ones are skipped). */
export async function recordTargets(db: Database, workflowId: number, activity: string, ids: readonly number[], now: Date): Promise<void> {
  const { WorkflowTarget } = db.models;
  for (const chunk of chunks(ids, 500)) {
    await db.write(async (transaction) => {
      const known = await WorkflowTarget.findAll({ attributes: ['recipientId'], where: { workflowId, activity, recipientId: chunk }, transaction, raw: true });
      const seen = new Set(known.map((k) => Number(k.recipientId)));
      const rows = chunk.filter((id) => !seen.has(id)).map((recipientId) => ({ workflowId, activity, recipientId, createdAt: now }));
      if (rows.length) await WorkflowTarget.bulkCreate(rows, { transaction });
    });
  }
}

export type Reaction = 'clicked' | 'opened';

/**
 * How each recipient reacted to a delivery: 'clicked' (any tracked link), else 'opened'; absent
 * recipients did neither. `humanOnly` ignores hits flagged as automated (privacy proxies, scanners).
 */
export async function reactionsTo(db: Database, deliveryId: number, ids: readonly number[], humanOnly: boolean): Promise<Map<number, Reaction>> {
  const { BroadLog, TrackingLog } = db.models;
  const out = new Map<number, Reaction>();
  const note = (recipientId: number, urlType: string) => {
    if (urlType !== 'open') out.set(recipientId, 'clicked');
    else if (!out.has(recipientId)) out.set(recipientId, 'opened');
  };
  const human = humanOnly ? { bot: null } : {};
  for (const chunk of chunks(ids)) {
    const direct = await TrackingLog.findAll({
      attributes: ['recipientId', 'urlType'],
      where: { deliveryId, recipientId: chunk, ...human },
      group: ['recipient_id', 'url_type'],
      raw: true,
    });
    for (const hit of direct) note(Number(hit.recipientId), hit.urlType);
    // Hits ingested without a recipient id are matched through their broad log.
    const logs = await BroadLog.findAll({ attributes: ['id', 'recipientId'], where: { deliveryId, recipientId: chunk }, raw: true });
    if (logs.length === 0) continue;
    const recipientOf = new Map(logs.map((l) => [Number(l.id), Number(l.recipientId)]));
    for (const logChunk of chunks([...recipientOf.keys()])) {
      const hits = await TrackingLog.findAll({
        attributes: ['broadLogId', 'urlType'],
        where: { deliveryId, recipientId: null, broadLogId: logChunk, ...human },
        group: ['broad_log_id', 'url_type'],
        raw: true,
      });
      for (const hit of hits) note(recipientOf.get(Number(hit.broadLogId))!, hit.urlType);
    }
  }
  return out;
}
