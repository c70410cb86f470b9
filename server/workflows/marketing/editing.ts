import type { Activity, WorkflowDefinition } from './definition.js';

/**
 * The editor's operations on a draft definition (pure: a new definition out, the input untouched).
 * A draft may be incomplete (an activity without its target, one not linked yet): it is checked as
 * a whole when the workflow is started (`draftProblems`).
 */

/** The settings of each activity type that lead to another activity (its outputs). */
export const TRANSITION_KEYS: Record<Activity['type'], readonly string[]> = {
  start: ['next'],
  scheduler: ['next'],
  query: ['next'],
  exclusion: ['next'],
  split: ['remainder'],
  delivery: ['next'],
  wait: ['next'],
  reaction: ['clicked', 'opened', 'neither'],
  update: ['next'],
  abWinner: ['next'],
  signal: ['next'],
  fork: [],
  andJoin: ['next'],
  dedup: ['next', 'duplicates'],
  enrichment: ['next'],
  end: [],
};

/** Adds an activity (its id must be new), optionally linking `after.from`'s output `after.key` to it. */
export function addActivity(def: WorkflowDefinition, activity: Activity, after?: { from: string; key: string }): WorkflowDefinition {
  if (def.activities.some((a) => a.id === activity.id)) throw new Error(`an activity "${activity.id}" already exists`);
  const linked = after ? def.activities.map((a) => (a.id === after.from ? linkTo(a, after.key, activity.id) : a)) : def.activities;
  return { activities: [...linked, activity] };
}

/** Replaces an activity by id (its id and type stay). */
export function replaceActivity(def: WorkflowDefinition, activity: Activity): WorkflowDefinition {
  return { activities: def.activities.map((a) => (a.id === activity.id ? activity : a)) };
}

/** Removes an activity and every transition to it (those outputs are left without a target). */
export function removeActivity(def: WorkflowDefinition, id: string): WorkflowDefinition {
  return { activities: def.activities.filter((a) => a.id !== id).map((a) => unlink(a, id)) };
}

function linkTo(a: Activity, key: string, to: string): Activity {
  if (a.type === 'fork' && key === 'branch') return { ...a, branches: [...(a.branches ?? []), to] };
  if (a.type === 'split' && key.startsWith('segment:')) {
    const name = key.slice('segment:'.length);
    return { ...a, segments: a.segments.map((s) => (s.name === name ? { ...s, next: to } : s)) };
  }
  if (!TRANSITION_KEYS[a.type].includes(key)) return a;
  return { ...a, [key]: to } as Activity;
}

function unlink(a: Activity, id: string): Activity {
  const copy: Record<string, unknown> = { ...a };
  for (const key of TRANSITION_KEYS[a.type]) if (copy[key] === id) delete copy[key];
  if (a.type === 'fork') copy.branches = (a.branches ?? []).filter((b) => b !== id);
  if (a.type === 'split') copy.segments = a.segments.map((s) => (s.next === id ? { ...s, next: undefined } : s)).map(dropUndefined);
  return copy as unknown as Activity;
}

const dropUndefined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** The outputs of an activity that a new activity can be linked after: "next", a reaction's branches, a split's segments. */
export function linkableOutputs(a: Activity): string[] {
  const segments = a.type === 'split' && Array.isArray(a.segments) ? a.segments.map((s) => `segment:${s.name}`) : [];
  return [...TRANSITION_KEYS[a.type], ...segments, ...(a.type === 'fork' ? ['branch'] : [])];
}
