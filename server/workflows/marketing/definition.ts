import { validate as validCron } from 'node-cron';
import { conditionProblems, type Condition } from '../../db/filters/recipient-condition.js';
import { parseDuration } from '../../shared/duration.js';
import { HeraldError } from '../../shared/errors.js';
import { EXIT } from '../../shared/exit-codes.js';
import { canonicalTimeZone } from '../../shared/time-zones/zone-maths.js';
import { WINNER_CRITERIA, type WinnerCriterion } from './ab-winner.js';
import { graphProblems } from './graph.js';

/**
 * A marketing workflow's definition, stored as JSON in workflows.definition: a list of activities,
 * each naming the activity its population goes to next. Exactly one entry (Start, run once when the
 * workflow starts, or Scheduler, run on its cron schedule); the graph has no cycles. Pure.
 */

interface Base {
  id: string;
  label?: string;
}
export interface Segment {
  name: string;
  /** Recipients matching this filter (checked in segment order: each recipient goes to one segment). */
  where?: Condition;
  /** Or a random share of the split's input, in percent. */
  percent?: number;
  next?: string;
}
export type UpdateAction = 'addToList' | 'removeFromList' | 'subscribe' | 'unsubscribe';

export type Activity =
  | (Base & { type: 'start'; next: string })
  | (Base & { type: 'scheduler'; cron: string; timeZone?: string; next: string })
  | (Base & { type: 'query'; where?: Condition; incremental?: boolean; next: string })
  | (Base & { type: 'exclusion'; where: Condition; next: string })
  | (Base & { type: 'split'; segments: Segment[]; remainder?: string })
  | (Base & { type: 'delivery'; template: string; next?: string })
  | (Base & { type: 'wait'; duration: string; next: string })
  | (Base & { type: 'reaction'; delivery?: string; deliveryName?: string; clicked?: string; opened?: string; neither?: string; humanOnly?: boolean })
  | (Base & { type: 'update'; action: UpdateAction; list?: string; service?: string; next?: string })
  | (Base & { type: 'abWinner'; a: string; b: string; criterion: WinnerCriterion; confirm?: boolean; humanOnly?: boolean; next?: string })
  | (Base & { type: 'end' });
export type ActivityType = Activity['type'];

export interface WorkflowDefinition {
  activities: Activity[];
}

type Check = (value: unknown, at: string) => string[];
const ID = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;
const idRef: Check = (v, at) => (typeof v === 'string' && ID.test(v) ? [] : [`${at}: expected an activity id`]);
const name: Check = (v, at) => (typeof v === 'string' && v.length > 0 && v.length <= 100 ? [] : [`${at}: expected a name (1–100 characters)`]);
const bool: Check = (v, at) => (typeof v === 'boolean' ? [] : [`${at}: expected true or false`]);
const condition: Check = (v, at) => conditionProblems(v, at);
const cron: Check = (v, at) => (typeof v === 'string' && validCron(v) ? [] : [`${at}: expected a cron expression such as "0 * * * *"`]);
const zone: Check = (v, at) => (typeof v === 'string' && canonicalTimeZone(v) ? [] : [`${at}: expected an IANA time zone such as "Europe/Paris"`]);
const duration: Check = (v, at) => {
  const ms = typeof v === 'string' ? parseDuration(v) : undefined;
  return ms !== undefined && ms > 0 && ms <= 366 * 86_400_000 ? [] : [`${at}: expected a duration such as "3d", "12h" or "1d12h" (at most a year)`];
};
const oneOf =
  (...values: string[]): Check =>
  (v, at) =>
    typeof v === 'string' && values.includes(v) ? [] : [`${at}: expected one of ${values.join(', ')}`];
const optional =
  (check: Check): Check =>
  (v, at) =>
    v === undefined ? [] : check(v, at);
const segments: Check = (v, at) => {
  if (!Array.isArray(v) || v.length === 0 || v.length > 20) return [`${at}: expected a list of 1–20 segments`];
  const spec = {
    name: name,
    where: optional(condition),
    percent: optional((p, a) => (typeof p === 'number' && p > 0 && p <= 100 ? [] : [`${a}: expected a percentage in (0, 100]`])),
    next: optional(idRef),
  };
  const problems = v.flatMap((s, i) => fields(s, spec, `${at}[${i}]`));
  if (v.some((s) => s?.where !== undefined && s?.percent !== undefined) || v.some((s) => s?.where === undefined && s?.percent === undefined))
    problems.push(`${at}: each segment has either "where" or "percent"`);
  if (v.reduce((sum, s) => sum + (typeof s?.percent === 'number' ? s.percent : 0), 0) > 100) problems.push(`${at}: the percentages add up to more than 100`);
  if (new Set(v.map((s) => s?.name)).size !== v.length || v.some((s) => s?.name === 'remainder'))
    problems.push(`${at}: segment names are unique and not "remainder"`);
  return problems;
};

const SPECS: Record<ActivityType, Record<string, Check>> = {
  start: { next: idRef },
  scheduler: { cron, timeZone: optional(zone), next: idRef },
  query: { where: optional(condition), incremental: optional(bool), next: idRef },
  exclusion: { where: condition, next: idRef },
  split: { segments, remainder: optional(idRef) },
  delivery: { template: name, next: optional(idRef) },
  wait: { duration, next: idRef },
  reaction: {
    delivery: optional(idRef),
    deliveryName: optional(name),
    clicked: optional(idRef),
    opened: optional(idRef),
    neither: optional(idRef),
    humanOnly: optional(bool),
  },
  update: { action: oneOf('addToList', 'removeFromList', 'subscribe', 'unsubscribe'), list: optional(name), service: optional(name), next: optional(idRef) },
  abWinner: { a: idRef, b: idRef, criterion: oneOf(...WINNER_CRITERIA), confirm: optional(bool), humanOnly: optional(bool), next: optional(idRef) },
  end: {},
};

function fields(value: unknown, spec: Record<string, Check>, at: string): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${at}: expected an object`];
  const v = value as Record<string, unknown>;
  const unknown = Object.keys(v).filter((k) => !Object.hasOwn(spec, k));
  return [...unknown.map((k) => `${at}.${k}: unknown key`), ...Object.entries(spec).flatMap(([k, check]) => check(v[k], `${at}.${k}`))];
}

/** Everything wrong with a definition (empty when valid). */
export function definitionProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || !Array.isArray((value as WorkflowDefinition).activities)) return ['expected { "activities": [ … ] }'];
  const list = (value as { activities: unknown[] }).activities;
  if (list.length === 0 || list.length > 200) return ['activities: expected 1–200 activities'];
  const problems = list.flatMap((a, i) => {
    const type = (a as { type?: unknown })?.type;
    if (typeof type !== 'string' || !Object.hasOwn(SPECS, type)) return [`activities[${i}].type: expected one of ${Object.keys(SPECS).join(', ')}`];
    return fields(a, { id: idRef, label: optional(name), type: () => [], ...SPECS[type as ActivityType] }, `activities[${i}]`);
  });
  return problems.length ? problems : graphProblems(value as WorkflowDefinition);
}

/** The definition, typed, or an error listing what is wrong with it. */
export function parseDefinition(value: unknown): WorkflowDefinition {
  const problems = definitionProblems(value);
  if (problems.length === 0) return value as WorkflowDefinition;
  const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
  throw new HeraldError('WF_BAD_DEFINITION', `invalid workflow definition: ${problems.slice(0, 5).join('; ')}${more}`, { exitCode: EXIT.DATA, status: 400 });
}
