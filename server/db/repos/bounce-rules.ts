import { createHash } from 'node:crypto';
import { fn, col, Op, type Transaction } from 'sequelize';
import type { FailureReason, FailureType } from '../../shared/glossary.js';
import type { Database } from '../connect.js';
import type { BounceRule } from '../models/index.js';
import { rawRows } from '../raw-rows.js';

/** Operators' qualifications kept as rules (one per normalized text): written by the console, read by the MTA and inMail. */

export interface OperatorRuleInput {
  normalized: string;
  sample: string;
  type: FailureType;
  reason: FailureReason;
  bounceTextId: number | null;
  by: string | null;
}

const hashOf = (text: string) => createHash('sha256').update(text).digest('hex');

/** The id an operator rule has in the rules (bounce texts and broad logs name it). */
export const operatorRuleId = (id: number) => `qualified.${id}`;

export interface OperatorRuleRow {
  /** `qualified.<n>` */
  id: string;
  type: FailureType;
  reason: FailureReason;
  normalized: string;
  sample: string;
  by: string | null;
  at: Date;
}

/** Creates the rule for a normalized text, or requalifies the existing one (in the caller's transaction). */
export async function saveOperatorRule(db: Database, input: OperatorRuleInput, now: Date, transaction: Transaction): Promise<number> {
  const { BounceRule } = db.models;
  const textHash = hashOf(input.normalized);
  const values = { failureType: input.type, failureReason: input.reason, createdBy: input.by, updatedAt: now };
  const existing = await BounceRule.findOne({ attributes: ['id'], where: { textHash }, transaction });
  if (existing) {
    // The first sample stays: every text of the rule normalizes alike, and the rule keeps the one it was made from.
    await BounceRule.update(values, { where: { id: existing.id }, transaction, silent: true });
    return existing.id;
  }
  const created = await BounceRule.create(
    { ...values, sample: input.sample, textHash, normalizedText: input.normalized, bounceTextId: input.bounceTextId, createdAt: now },
    { transaction },
  );
  return created.id;
}

const rowOf = (r: BounceRule): OperatorRuleRow => ({
  id: operatorRuleId(r.id),
  type: r.failureType,
  reason: r.failureReason,
  normalized: r.normalizedText,
  sample: r.sample,
  by: r.createdBy ?? null,
  at: r.updatedAt,
});

/** Every operator rule, oldest first. */
export async function operatorRules(db: Database): Promise<OperatorRuleRow[]> {
  return (await db.models.BounceRule.findAll({ order: [['id', 'ASC']] })).map(rowOf);
}

/** One console page of operator rules, newest first (keyset on the primary key): `next` is the id to continue before. */
export async function operatorRulePage(db: Database, beforeId: number | undefined, limit: number): Promise<{ rows: OperatorRuleRow[]; next?: number }> {
  const rows = await db.models.BounceRule.findAll({
    where: beforeId === undefined ? {} : { id: { [Op.lt]: beforeId } },
    order: [['id', 'DESC']],
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  return { rows: page.map(rowOf), ...(rows.length > limit ? { next: page[page.length - 1]!.id } : {}) };
}

/** Changes whenever a rule is added or requalified: modules reload their rules when it does. */
export async function operatorRulesVersion(db: Database): Promise<string> {
  const [row] = await rawRows<{ n: number | string; latest: string | Date | null }>(db.models.BounceRule, {
    attributes: [
      [fn('COUNT', col('id')), 'n'],
      [fn('MAX', col('updated_at')), 'latest'],
    ],
  });
  return `${Number(row?.n ?? 0)}@${row?.latest ? new Date(row.latest).toISOString() : '-'}`;
}
