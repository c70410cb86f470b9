import { WINNER_CRITERIA } from '../../workflows/marketing/ab-winner.js';
import { activityProblems, CSV_MAX, type Activity, type ActivityType } from '../../workflows/marketing/definition.js';
import { checked, text, type FormBody } from '../console/forms.js';

/**
 * The editor's form of each activity type, as data: which settings it has and how each is entered
 * (text, a target activity, a choice, a tick box, JSON for conditions and segments). Reading a
 * submitted form is pure: it builds the activity and checks its own settings with the definition's
 * rules, each problem naming its field; a missing target is left for the check at start.
 */

export type FieldKind = 'text' | 'target' | 'targets' | 'reference' | 'choice' | 'bool' | 'json' | 'csv';
export interface FieldSpec {
  key: string;
  kind: FieldKind;
  choices?: readonly string[];
  /** Shown as the field's example. */
  example?: string;
}

const target = (key: string): FieldSpec => ({ key, kind: 'target' });
export const ACTIVITY_FIELDS: Record<ActivityType, readonly FieldSpec[]> = {
  start: [target('next')],
  scheduler: [{ key: 'cron', kind: 'text', example: '0 9 * * 1' }, { key: 'timezone', kind: 'text', example: 'Europe/Paris' }, target('next')],
  signal: [target('next')],
  fork: [{ key: 'branches', kind: 'targets', example: 'sendA, sendB' }],
  andJoin: [target('next')],
  dedup: [{ key: 'by', kind: 'text', example: 'email' }, target('next'), target('duplicates')],
  enrichment: [
    { key: 'csv', kind: 'csv', example: 'email,city' },
    { key: 'column', kind: 'text', example: 'city' },
    { key: 'field', kind: 'text', example: 'city' },
    { key: 'overwrite', kind: 'bool' },
    target('next'),
  ],
  query: [{ key: 'where', kind: 'json', example: '{ "subscribed": "newsletter" }' }, { key: 'incremental', kind: 'bool' }, target('next')],
  exclusion: [{ key: 'where', kind: 'json', example: '{ "field": "email", "op": "endsWith", "value": "@example.com" }' }, target('next')],
  split: [{ key: 'segments', kind: 'json', example: '[{ "name": "a", "percent": 10, "next": "sendA" }]' }, target('remainder')],
  delivery: [{ key: 'template', kind: 'text', example: 'welcome' }, target('next')],
  wait: [{ key: 'duration', kind: 'text', example: '3d' }, target('next')],
  reaction: [
    { key: 'delivery', kind: 'reference' },
    { key: 'deliveryName', kind: 'text' },
    { key: 'humanOnly', kind: 'bool' },
    target('clicked'),
    target('opened'),
    target('neither'),
  ],
  update: [
    { key: 'action', kind: 'choice', choices: ['addToList', 'removeFromList', 'subscribe', 'unsubscribe'] },
    { key: 'list', kind: 'text' },
    { key: 'service', kind: 'text' },
    target('next'),
  ],
  abWinner: [
    { key: 'a', kind: 'reference' },
    { key: 'b', kind: 'reference' },
    { key: 'criterion', kind: 'choice', choices: WINNER_CRITERIA },
    { key: 'confirm', kind: 'bool' },
    { key: 'humanOnly', kind: 'bool' },
    target('next'),
  ],
  end: [],
};
export const ACTIVITY_TYPES = Object.keys(ACTIVITY_FIELDS) as ActivityType[];

/** Field → what is wrong with it (plain sentences naming the field). */
export type ActivityErrors = Record<string, string>;

/** The activity a submitted form describes, and what is wrong with its own settings. */
export function parseActivityForm(id: string, type: ActivityType, body: FormBody): { activity: Activity; errors: ActivityErrors } {
  const values: Record<string, unknown> = { id, type };
  const errors: ActivityErrors = {};
  const label = text(body, 'label', 100);
  if (label) values.label = label;
  for (const field of ACTIVITY_FIELDS[type]) {
    if (field.kind === 'bool') {
      if (checked(body, field.key)) values[field.key] = true;
      continue;
    }
    const value = text(body, field.key, field.kind === 'json' ? 20_000 : field.kind === 'csv' ? CSV_MAX + 1 : 255);
    if (value === '') continue;
    if (field.kind === 'targets')
      values[field.key] = value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean);
    else if (field.kind !== 'json') values[field.key] = value;
    else {
      try {
        values[field.key] = JSON.parse(value) as unknown;
      } catch {
        errors[field.key] = `${field.key}: not valid JSON (e.g. ${field.example ?? '{ }'})`;
      }
    }
  }
  for (const problem of activityProblems(values, id)) {
    const key = /^[^.]+\.([A-Za-z]+)/.exec(problem)?.[1] ?? 'type';
    if (/missing target/.test(problem)) continue; // linked later; checked when the workflow starts
    errors[key] ??= problem.slice(id.length + 1);
  }
  return { activity: values as unknown as Activity, errors };
}

/** The form's values of an existing activity (JSON settings pretty-printed). */
export function activityFormValues(a: Activity): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = { label: a.label ?? '' };
  for (const field of ACTIVITY_FIELDS[a.type]) {
    const v = (a as unknown as Record<string, unknown>)[field.key];
    out[field.key] =
      field.kind === 'bool'
        ? v === true
        : v === undefined
          ? ''
          : field.kind === 'json'
            ? JSON.stringify(v, null, 2)
            : Array.isArray(v)
              ? v.join(', ')
              : String(v);
  }
  return out;
}
