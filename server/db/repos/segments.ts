import { Op, UniqueConstraintError } from 'sequelize';
import { HeraldError } from '../../shared/errors.js';
import type { Database } from '../connect.js';
import type { Condition } from '../filters/recipient-condition.js';
import { notErased, recipientWhere } from '../filters/recipient-where.js';
import type { Segment } from '../models/index.js';
import { auditIn, type AuditInput } from './audit.js';

/**
 * Saved segments: named recipient conditions. A condition names one with `{ "inSegment": name }`;
 * `expandSegments` replaces those leaves by the segments' conditions (nested segments too, a cycle
 * or an unknown name is an error naming the segment) before a condition is compiled.
 */

export interface SegmentValues {
  name: string;
  label: string;
  description: string | null;
  condition: Condition;
}

const MAX_NESTING = 8;

export function allSegments(db: Database): Promise<Segment[]> {
  return db.models.Segment.findAll({ order: [['label', 'ASC']] });
}

export function findSegment(db: Database, id: number): Promise<Segment | null> {
  return db.models.Segment.findByPk(id);
}

/** Creates or (with `id`) updates a segment; false when the name is taken by another one. */
export async function saveSegment(db: Database, values: SegmentValues, audit: AuditInput, id?: number): Promise<Segment | false> {
  try {
    return await db.write(async (transaction) => {
      const now = audit.at;
      let row: Segment | null;
      if (id === undefined) row = await db.models.Segment.create({ ...values, createdAt: now, updatedAt: now }, { transaction });
      else {
        row = await db.models.Segment.findByPk(id, { transaction });
        if (!row) throw new HeraldError('SEGMENT_UNKNOWN', `no segment #${id}`, { status: 404 });
        await row.update({ ...values, updatedAt: now }, { transaction });
      }
      await auditIn(db, transaction, { ...audit, targetType: 'segment', targetId: row.id, detail: { name: values.name } });
      return row;
    });
  } catch (err) {
    if (err instanceof UniqueConstraintError) return false;
    throw err;
  }
}

/**
 * The condition with every `inSegment` leaf replaced by that segment's condition; `unsaved` gives
 * segments' conditions as they are about to be saved (a cycle is found before it is written).
 */
export async function expandSegments(db: Database, condition: Condition, unsaved: Readonly<Record<string, Condition>> = {}): Promise<Condition> {
  const cache = new Map<string, Condition>(Object.entries(unsaved));
  const expand = async (c: Condition, path: readonly string[]): Promise<Condition> => {
    if ('all' in c) return { all: await Promise.all(c.all.map((x) => expand(x, path))) };
    if ('any' in c) return { any: await Promise.all(c.any.map((x) => expand(x, path))) };
    if ('not' in c) return { not: await expand(c.not, path) };
    if (!('inSegment' in c)) return c;
    const name = c.inSegment;
    if (path.includes(name)) throw new HeraldError('SEGMENT_CYCLE', `the segment "${name}" includes itself (${[...path, name].join(' → ')})`, { status: 400 });
    if (path.length >= MAX_NESTING)
      throw new HeraldError('SEGMENT_CYCLE', `segments nested more than ${MAX_NESTING} deep (${path.join(' → ')})`, { status: 400 });
    let inner = cache.get(name);
    if (!inner) {
      const row = await db.models.Segment.findOne({ where: { name } });
      if (!row) throw new HeraldError('SEGMENT_UNKNOWN', `no segment named "${name}"`, { status: 400 });
      inner = row.condition;
      cache.set(name, inner);
    }
    return expand(inner, [...path, name]);
  };
  return expand(condition, []);
}

/** How many recipients (not erased) match the condition now. */
export async function countMatching(
  db: Database,
  condition: Condition | undefined,
  now: Date,
  unsaved: Readonly<Record<string, Condition>> = {},
): Promise<number> {
  const where = condition ? [notErased, recipientWhere(db.sequelize, await expandSegments(db, condition, unsaved), now)] : [notErased];
  return db.models.Recipient.count({ where: { [Op.and]: where } });
}

/** Ids of matching recipients after `after`, in id order (a page of a bulk action's selection). */
export async function matchingIdsAfter(db: Database, condition: Condition, after: number, limit: number, now: Date): Promise<number[]> {
  const where = { [Op.and]: [notErased, recipientWhere(db.sequelize, condition, now), { id: { [Op.gt]: after } }] };
  const rows = await db.models.Recipient.findAll({ attributes: ['id'], where, order: [['id', 'ASC']], limit, raw: true });
  return rows.map((r) => Number(r.id));
}
