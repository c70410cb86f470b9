import type { Translate } from '../i18n/translate.js';
import { fieldType, type Condition, type RecipientField } from '../../db/filters/recipient-condition.js';

/**
 * The delivery form's filter editor: up to FILTER_ROWS rows of (field, operator, value), all or
 * any of them, turned into Herald's recipient condition language and back. Pure. Conditions the
 * rows cannot show (nesting, "since") are edited as JSON instead (rowsFromCondition → undefined).
 * Besides the recipient fields, a row's field may be `subscribed` (value: a service name) or
 * `inList` (value: a list name) or `inSegment` (value: a saved segment's name), with `eq` (is) or
 * `ne` (is not). The picker offers the custom fields recipients have (`fields.<name>`) too.
 */

export const FILTER_ROWS = 5;
export const FILTER_FIELDS = [
  'email',
  'firstName',
  'lastName',
  'emailFormat',
  'domain',
  'denylisted',
  'denylistedEmail',
  'createdAt',
  'updatedAt',
  'subscribed',
  'inList',
  'inSegment',
] as const;
export const FILTER_OPS = ['eq', 'ne', 'in', 'notIn', 'contains', 'startsWith', 'endsWith', 'isEmpty', 'notEmpty', 'lt', 'lte', 'gt', 'gte'] as const;

export type Match = 'all' | 'any';

export interface FilterRow {
  field: string;
  op: string;
  value: string;
}

const MEMBERSHIP = new Set(['subscribed', 'inList', 'inSegment']);
const isBoolean = (field: string) => fieldType(field as RecipientField) === 'boolean';

function rowCondition(row: FilterRow): Condition {
  if (MEMBERSHIP.has(row.field)) {
    const value = row.value.trim();
    const leaf = (row.field === 'subscribed' ? { subscribed: value } : row.field === 'inList' ? { inList: value } : { inSegment: value }) as Condition;
    return row.op === 'ne' ? { not: leaf } : leaf;
  }
  const field = row.field as RecipientField;
  if (row.op === 'isEmpty' || row.op === 'notEmpty') return { field, op: row.op };
  if (row.op === 'in' || row.op === 'notIn')
    return {
      field,
      op: row.op,
      value: row.value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean),
    };
  return { field, op: row.op as 'eq', value: isBoolean(field) ? row.value.trim().toLowerCase() === 'true' : row.value };
}

/** The condition of the filled rows (rows without a field are ignored), or undefined when none is filled. */
export function conditionFromRows(match: Match, rows: readonly FilterRow[]): Condition | undefined {
  const filled = rows.filter((r) => r.field.trim() !== '');
  if (filled.length === 0) return undefined;
  const list = filled.map((r) => rowCondition({ field: r.field.trim(), op: r.op, value: r.value }));
  return match === 'any' ? { any: list } : { all: list };
}

function leafRow(c: Condition): FilterRow | undefined {
  if ('not' in c) {
    const inner = leafRow(c.not);
    return inner && MEMBERSHIP.has(inner.field) && inner.op === 'eq' ? { ...inner, op: 'ne' } : undefined;
  }
  if ('subscribed' in c) return c.since === undefined ? { field: 'subscribed', op: 'eq', value: c.subscribed } : undefined;
  if ('inList' in c) return { field: 'inList', op: 'eq', value: c.inList };
  if ('inSegment' in c) return { field: 'inSegment', op: 'eq', value: c.inSegment };
  if ('field' in c) {
    const value = Array.isArray(c.value) ? c.value.join(', ') : c.value === undefined ? '' : String(c.value);
    if (Array.isArray(c.value) && c.value.some((v) => String(v).includes(','))) return undefined;
    return { field: c.field, op: c.op, value };
  }
  return undefined;
}

/** The rows showing a condition, or undefined when it needs the JSON editor. */
export function rowsFromCondition(c: Condition | undefined): { match: Match; rows: FilterRow[] } | undefined {
  if (!c) return { match: 'all', rows: [] };
  const list = 'all' in c ? c.all : 'any' in c ? c.any : [c];
  if (list.length > FILTER_ROWS) return undefined;
  const rows = list.map(leafRow);
  if (rows.some((r) => r === undefined)) return undefined;
  return { match: 'any' in c ? 'any' : 'all', rows: rows as FilterRow[] };
}

export interface FieldChoice {
  value: string;
  label: string;
}

/** The filter picker's fields: the standard ones, then every known custom field as `fields.<name>`. */
export function filterFieldChoices(t: Translate, customFields: readonly string[]): FieldChoice[] {
  return [
    ...FILTER_FIELDS.map((f) => ({ value: f, label: t(`filter.field.${f}`) })),
    ...customFields.map((name) => ({ value: `fields.${name}`, label: t('filter.field.custom', { name }) })),
  ];
}
