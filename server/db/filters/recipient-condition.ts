import { parseMoment } from '../../shared/duration.js';

/**
 * Structured conditions over recipients: what an operator (or a workflow definition) may ask,
 * never SQL. A condition is JSON such as
 *   { "all": [ { "field": "emailFormat", "op": "eq", "value": "html" },
 *              { "subscribed": "newsletter", "since": "-7d" },
 *              { "not": { "inList": "vip" } } ] }
 * This file is pure: types and validation. recipient-where.ts turns a valid condition into a
 * Sequelize where clause with every value bound or escaped.
 */

export type Scalar = string | number | boolean;

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { field: RecipientField; op: CompareOp; value?: Scalar | Scalar[] }
  /** Has an active subscription to the service (name), optionally since a moment ("-3d", ISO date). */
  | { subscribed: string; since?: string }
  /** Is a member of the list (name). */
  | { inList: string }
  /** Matches the saved segment (name): replaced by the segment's condition before use (repos/segments.ts expandSegments). */
  | { inSegment: string };

const FIELD_TYPES = {
  email: 'string',
  firstName: 'string',
  lastName: 'string',
  emailFormat: 'string',
  /** The part of the email after "@". */
  domain: 'domain',
  denylisted: 'boolean',
  denylistedEmail: 'boolean',
  createdAt: 'date',
  updatedAt: 'date',
} as const;
/** A custom field (the recipient's `fields` JSON): `fields.<name>`, compared as text. */
export type CustomField = `fields.${string}`;
export type RecipientField = keyof typeof FIELD_TYPES | CustomField;
export type FieldType = (typeof FIELD_TYPES)[keyof typeof FIELD_TYPES];

const CUSTOM_FIELD = /^fields\.[a-z][a-z0-9_]{0,63}$/;
export const isCustomField = (field: string): field is CustomField => CUSTOM_FIELD.test(field);

const OPS_BY_TYPE: Record<FieldType, readonly string[]> = {
  string: ['eq', 'ne', 'in', 'notIn', 'contains', 'startsWith', 'endsWith', 'isEmpty', 'notEmpty'],
  domain: ['eq', 'ne', 'in', 'notIn'],
  boolean: ['eq', 'ne'],
  date: ['lt', 'lte', 'gt', 'gte', 'isEmpty', 'notEmpty'],
};
export type CompareOp = 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte' | 'in' | 'notIn' | 'contains' | 'startsWith' | 'endsWith' | 'isEmpty' | 'notEmpty';

export const CONDITION_LIMITS = { depth: 8, nodes: 200, stringLength: 320, listItems: 1000 } as const;

/** A standard field: an own key of FIELD_TYPES (never a name every object has, such as "constructor" or "__proto__"). */
const isStandardField = (field: string): field is keyof typeof FIELD_TYPES => Object.hasOwn(FIELD_TYPES, field);

export function fieldType(field: RecipientField): FieldType {
  return isCustomField(field) ? 'string' : FIELD_TYPES[field];
}

/** Why a text value cannot be compared: NUL characters never reach the database (SQLite ends its SQL text there). */
const textProblem = (value: string): string | undefined => (value.includes('\u0000') ? 'holds a NUL character' : undefined);

/** Problems found in a condition (path + reason); empty when it is valid. */
export function conditionProblems(value: unknown, path = 'where'): string[] {
  const problems: string[] = [];
  let nodes = 0;
  const visit = (node: unknown, at: string, depth: number): void => {
    if (++nodes > CONDITION_LIMITS.nodes)
      return void (nodes === CONDITION_LIMITS.nodes + 1 && problems.push(`${path}: more than ${CONDITION_LIMITS.nodes} conditions`));
    if (depth > CONDITION_LIMITS.depth) return void problems.push(`${at}: nested more than ${CONDITION_LIMITS.depth} levels`);
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return void problems.push(`${at}: expected a condition object`);
    const n = node as Record<string, unknown>;
    const keys = Object.keys(n);
    const has = (key: string) => Object.hasOwn(n, key);
    if (has('all') || has('any')) {
      const key = has('all') ? 'all' : 'any';
      if (keys.length !== 1) return void problems.push(`${at}: "${key}" stands alone`);
      const list = n[key];
      if (!Array.isArray(list) || list.length === 0) return void problems.push(`${at}.${key}: expected a non-empty list of conditions`);
      list.forEach((child, i) => visit(child, `${at}.${key}[${i}]`, depth + 1));
    } else if (has('not')) {
      if (keys.length !== 1) return void problems.push(`${at}: "not" stands alone`);
      visit(n.not, `${at}.not`, depth + 1);
    } else if (has('field')) problems.push(...comparisonProblems(n, at));
    else if (has('subscribed')) problems.push(...subscribedProblems(n, at));
    else if (has('inList')) {
      if (typeof n.inList === 'string' && textProblem(n.inList)) problems.push(`${at}.inList: ${textProblem(n.inList)}`);
      else if (keys.length !== 1 || !isName(n.inList)) problems.push(`${at}: expected { "inList": "<list name>" }`);
    } else if (has('inSegment')) {
      if (typeof n.inSegment === 'string' && textProblem(n.inSegment)) problems.push(`${at}.inSegment: ${textProblem(n.inSegment)}`);
      else if (keys.length !== 1 || !isName(n.inSegment)) problems.push(`${at}: expected { "inSegment": "<segment name>" }`);
    } else problems.push(`${at}: expected one of all, any, not, field, subscribed, inList, inSegment`);
  };
  visit(value, path, 1);
  return problems;
}

const isName = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 100 && !textProblem(v);

function subscribedProblems(n: Record<string, unknown>, at: string): string[] {
  if (typeof n.subscribed === 'string' && textProblem(n.subscribed)) return [`${at}.subscribed: ${textProblem(n.subscribed)}`];
  const extra = Object.keys(n).filter((k) => k !== 'subscribed' && k !== 'since');
  if (extra.length || !isName(n.subscribed)) return [`${at}: expected { "subscribed": "<service name>", "since"?: "<moment>" }`];
  if (n.since !== undefined && (typeof n.since !== 'string' || !parseMoment(n.since, new Date(0))))
    return [`${at}.since: expected an ISO date, "now" or a relative time such as "-7d"`];
  return [];
}

function comparisonProblems(n: Record<string, unknown>, at: string): string[] {
  const extra = Object.keys(n).filter((k) => k !== 'field' && k !== 'op' && k !== 'value');
  if (extra.length) return [`${at}: unknown key ${extra.join(', ')}`];
  if (typeof n.field !== 'string' || !(isStandardField(n.field) || isCustomField(n.field)))
    return [`${at}.field: expected one of ${Object.keys(FIELD_TYPES).join(', ')}, fields.<custom field>`];
  const type = fieldType(n.field as RecipientField);
  if (typeof n.op !== 'string' || !OPS_BY_TYPE[type].includes(n.op)) return [`${at}.op: "${n.field}" takes one of ${OPS_BY_TYPE[type].join(', ')}`];
  if (n.op === 'isEmpty' || n.op === 'notEmpty') return n.value === undefined ? [] : [`${at}.value: "${n.op}" takes no value`];
  if (n.op === 'in' || n.op === 'notIn') {
    if (!Array.isArray(n.value) || n.value.length === 0 || n.value.length > CONDITION_LIMITS.listItems)
      return [`${at}.value: expected a list of 1–${CONDITION_LIMITS.listItems} values`];
    return n.value.flatMap((v, i) => valueProblems(type, v, `${at}.value[${i}]`));
  }
  return valueProblems(type, n.value, `${at}.value`);
}

function valueProblems(type: FieldType, value: unknown, at: string): string[] {
  if (type === 'boolean') return typeof value === 'boolean' ? [] : [`${at}: expected true or false`];
  if (typeof value !== 'string' || value.length > CONDITION_LIMITS.stringLength)
    return [`${at}: expected a string of at most ${CONDITION_LIMITS.stringLength} characters`];
  const problem = textProblem(value);
  if (problem) return [`${at}: ${problem}`];
  if (type === 'date' && !parseMoment(value, new Date(0))) return [`${at}: expected an ISO date, "now" or a relative time such as "-7d"`];
  return [];
}
