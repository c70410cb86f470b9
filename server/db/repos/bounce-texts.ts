import { Op, literal, type Transaction, type WhereOptions } from 'sequelize';
import type { Database } from '../connect.js';
import { sqlValue } from '../raw-rows.js';
import type { BounceTextStatus, FailureReason, FailureType } from '../../shared/glossary.js';
import type { BounceText } from '../models/index.js';
import { auditIn, type AuditInput } from './audit.js';
import { operatorRuleId, saveOperatorRule } from './bounce-rules.js';

/**
 * Bounce texts (Adobe's delivery log qualification): one row per normalized text, keyed by its
 * SHA-256, counting occurrences (capped like Adobe's at 100 000), recorded by the MTA and inMail;
 * read in pages most frequent first and qualified by an operator in the console.
 */

export const MAX_OCCURRENCES = 100_000;
const CHUNK = 500;

export interface BounceTextInput {
  hash: string;
  text: string;
  firstText: string;
  failureType: FailureType;
  failureReason: FailureReason;
  rule: string;
  status: BounceTextStatus;
}

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function idsByHash(db: Database, hashes: readonly string[], transaction: Transaction): Promise<Map<string, number>> {
  const { BounceText } = db.models;
  const found = new Map<string, number>();
  for (const part of chunks(hashes)) {
    const rows = await BounceText.findAll({ attributes: ['id', 'textHash'], where: { textHash: { [Op.in]: part } }, transaction });
    for (const row of rows) found.set(row.textHash, row.id);
  }
  return found;
}

/**
 * Counts each text once per item: existing rows get their occurrences increased, new texts are
 * inserted with their first raw text. Returns the row id of every hash.
 */
export async function recordBounceTexts(db: Database, items: readonly BounceTextInput[], now: Date, transaction: Transaction): Promise<Map<string, number>> {
  const { BounceText } = db.models;
  const counts = new Map<string, { item: BounceTextInput; n: number }>();
  for (const item of items) {
    const seen = counts.get(item.hash);
    if (seen) seen.n++;
    else counts.set(item.hash, { item, n: 1 });
  }
  const ids = await idsByHash(db, [...counts.keys()], transaction);
  for (const [hash, { n }] of counts) {
    const id = ids.get(hash);
    if (id === undefined) continue;
    // n is a count computed here, never user input.
    const occurrences = literal(`CASE WHEN occurrences + ${n} > ${MAX_OCCURRENCES} THEN ${MAX_OCCURRENCES} ELSE occurrences + ${n} END`);
    await BounceText.update({ occurrences: sqlValue<number>(occurrences), updatedAt: now }, { where: { id }, transaction, silent: true });
  }
  const fresh = [...counts.values()].filter(({ item }) => !ids.has(item.hash));
  for (const part of chunks(fresh)) {
    await BounceText.bulkCreate(
      part.map(({ item, n }) => ({ ...item, textHash: item.hash, occurrences: Math.min(n, MAX_OCCURRENCES), createdAt: now, updatedAt: now })),
      { transaction },
    );
  }
  if (fresh.length > 0)
    for (const [hash, id] of await idsByHash(
      db,
      fresh.map(({ item }) => item.hash),
      transaction,
    ))
      ids.set(hash, id);
  return ids;
}

export interface CountCursor {
  occurrences: number;
  id: number;
}

/** Bounce texts with a status, most frequent first (the (status, occurrences) index), keyset on (occurrences, id). */
export async function bounceTextPage(
  db: Database,
  status: BounceTextStatus,
  after: CountCursor | undefined,
  limit: number,
): Promise<{ rows: BounceText[]; next?: CountCursor }> {
  const { BounceText } = db.models;
  const where: WhereOptions = after
    ? { status, occurrences: { [Op.lte]: after.occurrences }, [Op.or]: [{ occurrences: { [Op.lt]: after.occurrences } }, { id: { [Op.lt]: after.id } }] }
    : { status };
  const found = await BounceText.findAll({
    where,
    order: [
      ['occurrences', 'DESC'],
      ['id', 'DESC'],
    ],
    limit: limit + 1,
  });
  const rows = found.slice(0, limit);
  const last = rows[rows.length - 1];
  return { rows, next: found.length > limit && last ? { occurrences: last.occurrences, id: last.id } : undefined };
}

export function findBounceText(db: Database, id: number): Promise<BounceText | null> {
  const { BounceText } = db.models;
  return BounceText.findByPk(id);
}

export interface Qualification {
  status: Exclude<BounceTextStatus, 'to_qualify'>;
  failureType: FailureType;
  failureReason: FailureReason;
}

/**
 * Qualifies a bounce text (keep with its type and reason, or ignore: type ignored), audited in the
 * same transaction. The qualification becomes an operator rule matching the text, with the text's
 * first raw occurrence as its sample, which the MTA and inMail apply to later messages.
 */
export async function qualifyBounceText(db: Database, id: number, q: Qualification, audit: AuditInput): Promise<boolean> {
  const { BounceText } = db.models;
  const qualification = q.status === 'ignore' ? { ...q, failureType: 'ignored' as const } : q;
  return db.write(async (transaction) => {
    const [count] = await BounceText.update({ ...qualification, updatedAt: audit.at }, { where: { id }, transaction, silent: true });
    if (count !== 1) return false;
    const text = await BounceText.findByPk(id, { transaction });
    if (text && text.text !== '(empty)') {
      const ruleId = await saveOperatorRule(
        db,
        {
          normalized: text.text,
          sample: text.firstText,
          type: qualification.failureType,
          reason: qualification.failureReason,
          bounceTextId: id,
          by: audit.operatorLogin,
        },
        audit.at,
        transaction,
      );
      await BounceText.update({ rule: operatorRuleId(ruleId) }, { where: { id }, transaction, silent: true });
    }
    await auditIn(db, transaction, audit);
    return true;
  });
}
