import { HeraldError } from '../shared/errors.js';
import { EXIT } from '../shared/exit-codes.js';
import { DELIVERY_KINDS, type DeliveryKind } from '../shared/glossary.js';
import { FILTER_FIELDS, FILTER_OPS, type Condition, type FilterField, type FilterOp } from '../db/repos/recipient-filter.js';

/**
 * What a delivery targets, stored as JSON on the delivery: the active subscribers of a service,
 * the members of a list, or every recipient, each optionally narrowed by conditions; proofs target
 * seed addresses. Conditions are a small structured language (never SQL): a field from an allow
 * list, an operator and a value; combined with all / any / not. server/db turns them into
 * Sequelize where clauses, so every value is bound by the ORM.
 */

export type TargetSpec =
  | { kind: 'all'; filter?: Condition }
  | { kind: 'service'; serviceId: number; filter?: Condition }
  | { kind: 'list'; listId: number; filter?: Condition }
  | { kind: 'addresses'; addresses: string[]; recipientId: number | null; sourceDeliveryId: number; sourceKind: DeliveryKind };

/** Exclusion settings (Adobe's Exclusions tab); invalid and empty addresses are always excluded. */
export interface ExclusionSettings {
  duplicates: boolean;
  denylisted: boolean;
  quarantined: boolean;
  /** Deliver to at most this many recipients (the first ones in target order); null = no limit. */
  limit: number | null;
}

export const DEFAULT_EXCLUSIONS: ExclusionSettings = { duplicates: true, denylisted: true, quarantined: true, limit: null };

const CUSTOM_FIELD = /^[a-z][a-z0-9_]{0,63}$/;
const LIMITS = { depth: 8, nodes: 200, list: 1000, text: 255 };

const invalid = (why: string) => new HeraldError('TARGET_INVALID', `invalid target: ${why}`, { exitCode: EXIT.DATA, status: 400 });
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const positiveInt = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;

function checkValue(op: FilterOp, value: unknown): void {
  const scalar = (v: unknown) => (typeof v === 'string' && v.length <= LIMITS.text) || (typeof v === 'number' && Number.isFinite(v));
  if (op === 'isNull' || op === 'notNull') {
    if (value !== undefined) throw invalid(`"${op}" takes no value`);
  } else if (op === 'in' || op === 'notIn') {
    if (!Array.isArray(value) || value.length === 0 || value.length > LIMITS.list || !value.every(scalar)) throw invalid(`"${op}" takes a list of 1–${LIMITS.list} strings or numbers`);
  } else if (!scalar(value)) throw invalid(`"${op}" takes a string (≤ ${LIMITS.text} characters) or a number`);
}

function checkCondition(c: unknown, depth: number, count: { nodes: number }): Condition {
  if (depth > LIMITS.depth) throw invalid(`conditions nest deeper than ${LIMITS.depth} levels`);
  if (++count.nodes > LIMITS.nodes) throw invalid(`more than ${LIMITS.nodes} conditions`);
  if (!isObject(c)) throw invalid('a condition is an object');
  if ('all' in c || 'any' in c) {
    const list = c.all ?? c.any;
    if (!Array.isArray(list) || list.length === 0 || Object.keys(c).length !== 1) throw invalid('"all" / "any" take a non-empty list of conditions');
    const checked = list.map((x) => checkCondition(x, depth + 1, count));
    return 'all' in c ? { all: checked } : { any: checked };
  }
  if ('not' in c) {
    if (Object.keys(c).length !== 1) throw invalid('"not" takes one condition');
    return { not: checkCondition(c.not, depth + 1, count) };
  }
  const { field, op, value } = c;
  if (Object.keys(c).some((k) => !['field', 'op', 'value'].includes(k))) throw invalid('a comparison has only field, op and value');
  const custom = typeof field === 'string' && field.startsWith('fields.') && CUSTOM_FIELD.test(field.slice(7));
  if (!custom && !(FILTER_FIELDS as readonly unknown[]).includes(field)) throw invalid(`unknown field ${JSON.stringify(field)} (fields: ${FILTER_FIELDS.join(', ')}, fields.<custom>)`);
  if (!(FILTER_OPS as readonly unknown[]).includes(op)) throw invalid(`unknown operator ${JSON.stringify(op)} (operators: ${FILTER_OPS.join(', ')})`);
  checkValue(op as FilterOp, value);
  return { field: field as FilterField, op: op as FilterOp, ...(value === undefined ? {} : { value: value as string }) };
}

export function parseCondition(value: unknown): Condition {
  return checkCondition(value, 1, { nodes: 0 });
}

export function parseTargetSpec(value: unknown): TargetSpec {
  if (!isObject(value)) throw invalid('no target set (a service, a list, every recipient, or seed addresses)');
  const filter = value.filter === undefined || value.filter === null ? undefined : parseCondition(value.filter);
  switch (value.kind) {
    case 'all':
      return { kind: 'all', filter };
    case 'service':
      if (!positiveInt(value.serviceId)) throw invalid('serviceId must be a positive integer');
      return { kind: 'service', serviceId: value.serviceId, filter };
    case 'list':
      if (!positiveInt(value.listId)) throw invalid('listId must be a positive integer');
      return { kind: 'list', listId: value.listId, filter };
    case 'addresses': {
      const { addresses, recipientId, sourceDeliveryId, sourceKind } = value;
      if (!Array.isArray(addresses) || !addresses.every((a) => typeof a === 'string' && a.length <= 320)) throw invalid('addresses must be a list of addresses');
      if (recipientId !== null && !positiveInt(recipientId)) throw invalid('recipientId must be a positive integer or null');
      if (!positiveInt(sourceDeliveryId) || !(DELIVERY_KINDS as readonly unknown[]).includes(sourceKind)) throw invalid('a proof names its source delivery and kind');
      return { kind: 'addresses', addresses, recipientId, sourceDeliveryId, sourceKind: sourceKind as DeliveryKind };
    }
    default:
      throw invalid(`unknown target kind ${JSON.stringify(value.kind)} (all, service, list, addresses)`);
  }
}

export function parseExclusions(value: unknown): ExclusionSettings {
  if (value === null || value === undefined) return DEFAULT_EXCLUSIONS;
  if (!isObject(value)) throw invalid('exclusions must be an object');
  const flag = (k: keyof ExclusionSettings) => (value[k] === undefined ? DEFAULT_EXCLUSIONS[k] : value[k]);
  const out = { duplicates: flag('duplicates'), denylisted: flag('denylisted'), quarantined: flag('quarantined'), limit: value.limit ?? null };
  if (typeof out.duplicates !== 'boolean' || typeof out.denylisted !== 'boolean' || typeof out.quarantined !== 'boolean') throw invalid('exclusion switches are true or false');
  if (out.limit !== null && !positiveInt(out.limit)) throw invalid('the limit is a positive integer');
  return out as ExclusionSettings;
}

/** Custom fields a condition reads (to warn about fields no recipient has). */
export function conditionFields(c: Condition | undefined): string[] {
  if (!c) return [];
  if ('all' in c) return c.all.flatMap(conditionFields);
  if ('any' in c) return c.any.flatMap(conditionFields);
  if ('not' in c) return conditionFields(c.not);
  return c.field.startsWith('fields.') ? [c.field.slice(7)] : [];
}
