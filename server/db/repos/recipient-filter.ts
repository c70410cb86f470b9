import { col, fn, literal, Op, where as sqlWhere, type WhereOptions } from 'sequelize';
import type { Dialect } from '../connect.js';
import type { Recipient } from '../models/index.js';

/**
 * Structured target conditions (validated by server/delivery/target-spec.ts) as Sequelize
 * where clauses. Every value is bound by Sequelize; field names come from an allow list, custom
 * field names match ^[a-z][a-z0-9_]{0,63}$ before they become a JSON path. Custom fields live in the
 * JSON text column `fields`: json_extract() on SQLite, JSON_VALUE() on SQL Server.
 */

/** Recipient fields a condition may read, besides custom fields (`fields.<name>`). */
export const FILTER_FIELDS = ['id', 'email', 'firstName', 'lastName', 'emailFormat', 'createdAt', 'updatedAt'] as const;
export type FilterField = (typeof FILTER_FIELDS)[number] | `fields.${string}`;
export const FILTER_OPS = ['eq', 'ne', 'in', 'notIn', 'contains', 'startsWith', 'endsWith', 'gt', 'gte', 'lt', 'lte', 'isNull', 'notNull'] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

/** A target condition (validated by server/delivery/target-spec.ts before it gets here). */
export type Condition = { all: Condition[] } | { any: Condition[] } | { not: Condition } | { field: FilterField; op: FilterOp; value?: string | number | Array<string | number> };

const OPS = {
  eq: Op.eq,
  ne: Op.ne,
  in: Op.in,
  notIn: Op.notIn,
  contains: Op.substring,
  startsWith: Op.startsWith,
  endsWith: Op.endsWith,
  gt: Op.gt,
  gte: Op.gte,
  lt: Op.lt,
  lte: Op.lte,
} as const;

const DATE_FIELDS = new Set(['createdAt', 'updatedAt']);
const CUSTOM_NAME = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * The value of custom field `name` from the JSON column. The path is a literal because Sequelize
 * doubles "$" in string arguments; the name is checked against the custom-field pattern right here.
 */
export function customField(dialect: Dialect, name: string) {
  if (!CUSTOM_NAME.test(name)) throw new Error(`not a custom field name: ${JSON.stringify(name)}`);
  return fn(dialect === 'sqlite' ? 'json_extract' : 'JSON_VALUE', col('fields'), literal(`'$.${name}'`));
}

function comparison(op: keyof typeof OPS | 'isNull' | 'notNull', value: unknown, date: boolean): Record<symbol, unknown> {
  if (op === 'isNull') return { [Op.is]: null };
  if (op === 'notNull') return { [Op.not]: null };
  const typed = date && typeof value === 'string' ? new Date(value) : value;
  return { [OPS[op]]: typed };
}

export function conditionWhere(c: Condition, dialect: Dialect): WhereOptions<Recipient> {
  if ('all' in c) return { [Op.and]: c.all.map((x) => conditionWhere(x, dialect)) };
  if ('any' in c) return { [Op.or]: c.any.map((x) => conditionWhere(x, dialect)) };
  // The inner clause is wrapped in an AND list: Sequelize silently drops a NOT put directly on a where() clause.
  if ('not' in c) return { [Op.not]: { [Op.and]: [conditionWhere(c.not, dialect)] } };
  if (c.field.startsWith('fields.')) {
    const value = Array.isArray(c.value) ? c.value.map(String) : c.value === undefined ? undefined : String(c.value);
    return sqlWhere(customField(dialect, c.field.slice(7)), comparison(c.op, value, false)) as WhereOptions<Recipient>;
  }
  return { [c.field]: comparison(c.op, c.value, DATE_FIELDS.has(c.field)) } as WhereOptions<Recipient>;
}
