import { conditionProblems, isCustomField, type Condition } from '../db/filters/recipient-condition.js';
import { HeraldError } from '../shared/errors.js';
import { EXIT } from '../shared/exit-codes.js';
import { DELIVERY_KINDS, type DeliveryKind } from '../shared/glossary.js';

/**
 * What a delivery targets, stored as JSON on the delivery: the active subscribers of a service,
 * the members of a list, or every recipient, each optionally narrowed by a `filter` in Herald's
 * recipient condition language (server/db/filters/recipient-condition.ts: fields, all / any / not,
 * subscribed, inList — never SQL); proofs target seed addresses. `type` is read as `kind` too
 * (the targets that marketing workflows write).
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

const invalid = (why: string) => new HeraldError('TARGET_INVALID', `invalid target: ${why}`, { exitCode: EXIT.DATA, status: 400 });
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const positiveInt = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;

export function parseCondition(value: unknown): Condition {
  const problems = conditionProblems(value, 'filter');
  if (problems.length) throw invalid(problems.join('; '));
  return value as Condition;
}

export function parseTargetSpec(value: unknown): TargetSpec {
  if (!isObject(value)) throw invalid('no target set (a service, a list, every recipient, or seed addresses)');
  const filter = value.filter === undefined || value.filter === null ? undefined : parseCondition(value.filter);
  switch (value.kind ?? value.type) {
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
      if (!Array.isArray(addresses) || !addresses.every((a) => typeof a === 'string' && a.length <= 320))
        throw invalid('addresses must be a list of addresses');
      if (recipientId !== null && !positiveInt(recipientId)) throw invalid('recipientId must be a positive integer or null');
      if (!positiveInt(sourceDeliveryId) || !(DELIVERY_KINDS as readonly unknown[]).includes(sourceKind))
        throw invalid('a proof names its source delivery and kind');
      return { kind: 'addresses', addresses, recipientId, sourceDeliveryId, sourceKind: sourceKind as DeliveryKind };
    }
    default:
      throw invalid(`unknown target kind ${JSON.stringify(value.kind ?? value.type)} (all, service, list, addresses)`);
  }
}

export function parseExclusions(value: unknown): ExclusionSettings {
  if (value === null || value === undefined) return DEFAULT_EXCLUSIONS;
  if (!isObject(value)) throw invalid('exclusions must be an object');
  const flag = (k: keyof ExclusionSettings) => (value[k] === undefined ? DEFAULT_EXCLUSIONS[k] : value[k]);
  const out = { duplicates: flag('duplicates'), denylisted: flag('denylisted'), quarantined: flag('quarantined'), limit: value.limit ?? null };
  if (typeof out.duplicates !== 'boolean' || typeof out.denylisted !== 'boolean' || typeof out.quarantined !== 'boolean')
    throw invalid('exclusion switches are true or false');
  if (out.limit !== null && !positiveInt(out.limit)) throw invalid('the limit is a positive integer');
  return out as ExclusionSettings;
}

/** Custom fields a condition reads (to warn about fields no recipient has). */
export function conditionFields(c: Condition | undefined): string[] {
  if (!c) return [];
  if ('all' in c) return c.all.flatMap(conditionFields);
  if ('any' in c) return c.any.flatMap(conditionFields);
  if ('not' in c) return conditionFields(c.not);
  return 'field' in c && isCustomField(c.field) ? [c.field.slice('fields.'.length)] : [];
}
