import type { Activity, WorkflowDefinition } from './definition.js';

/** The transitions leaving an activity: output name → next activity id. */
export function outputsOf(a: Activity): Array<{ output: string; to: string }> {
  const out = (output: string, to: string | undefined) => (to ? [{ output, to }] : []);
  switch (a.type) {
    case 'split':
      return [...a.segments.flatMap((s) => out(s.name, s.next)), ...out('remainder', a.remainder)];
    case 'reaction':
      return [...out('clicked', a.clicked), ...out('opened', a.opened), ...out('neither', a.neither)];
    case 'fork':
      return a.branches.map((to, i) => ({ output: `branch${i + 1}`, to }));
    case 'dedup':
      return [...out('next', a.next), ...out('duplicates', a.duplicates)];
    case 'end':
      return [];
    default:
      return out('next', a.next);
  }
}

export type EntryActivity = Activity & { type: 'start' | 'scheduler' | 'signal' };
export const isEntry = (a: Activity): a is EntryActivity => a.type === 'start' || a.type === 'scheduler' || a.type === 'signal';

export function entryOf(def: WorkflowDefinition): EntryActivity {
  return def.activities.find(isEntry)!;
}

/** Checks of a marketing workflow's graph as a whole (pure): one entry, known targets, no cycle, coherent references. */
export function graphProblems(def: WorkflowDefinition): string[] {
  const problems: string[] = [];
  const byId = new Map<string, Activity>();
  for (const a of def.activities) {
    if (byId.has(a.id)) problems.push(`activity "${a.id}" is defined twice`);
    byId.set(a.id, a);
  }
  const entries = def.activities.filter(isEntry);
  if (entries.length !== 1) problems.push(`expected exactly one start, scheduler or signal activity, found ${entries.length}`);
  for (const a of def.activities) {
    for (const { output, to } of outputsOf(a)) {
      const target = byId.get(to);
      if (!target) problems.push(`${a.id}.${output}: no activity "${to}"`);
      else if (isEntry(target)) problems.push(`${a.id}.${output}: cannot lead back to the entry "${to}"`);
    }
  }
  if (problems.length) return problems;
  const reached = entries[0] ? new Set([entries[0].id, ...descendants(entries[0].id, byId)]) : new Set<string>();
  const unreachable = def.activities.filter((a) => !reached.has(a.id));
  if (unreachable.length) return unreachable.map((a) => `activity "${a.id}" cannot be reached from the entry "${entries[0]!.id}"`);
  const cycle = findCycle(def.activities, byId);
  if (cycle) return [`the activities form a cycle: ${cycle.join(' → ')}`];
  return [
    ...referenceProblems(def.activities, byId),
    ...updateProblems(def.activities),
    ...winnerProblems(def.activities, byId),
    ...joinProblems(def.activities),
  ];
}

function findCycle(activities: readonly Activity[], byId: Map<string, Activity>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] | null => {
    if (state.get(id) === 'done') return null;
    if (state.get(id) === 'open') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'open');
    path.push(id);
    for (const { to } of outputsOf(byId.get(id)!)) {
      const found = visit(to);
      if (found) return found;
    }
    path.pop();
    state.set(id, 'done');
    return null;
  };
  for (const a of activities) {
    const found = visit(a.id);
    if (found) return found;
  }
  return null;
}

/** Activity ids from which `target` can be reached. */
function ancestors(target: string, activities: readonly Activity[]): Set<string> {
  const found = new Set<string>();
  for (let grew = true; grew;) {
    grew = false;
    for (const a of activities) {
      if (found.has(a.id)) continue;
      if (outputsOf(a).some(({ to }) => to === target || found.has(to))) {
        found.add(a.id);
        grew = true;
      }
    }
  }
  return found;
}

function referenceProblems(activities: readonly Activity[], byId: Map<string, Activity>): string[] {
  const problems: string[] = [];
  for (const a of activities) {
    if (a.type !== 'reaction') continue;
    if ((a.delivery === undefined) === (a.deliveryName === undefined))
      problems.push(`${a.id}: give either "delivery" (a delivery activity before it) or "deliveryName"`);
    else if (a.delivery !== undefined && (byId.get(a.delivery)?.type !== 'delivery' || !ancestors(a.id, activities).has(a.delivery))) {
      problems.push(`${a.id}.delivery: "${a.delivery}" is not a delivery activity leading to this test`);
    }
  }
  return problems;
}

function updateProblems(activities: readonly Activity[]): string[] {
  return activities.flatMap((a) => {
    if (a.type !== 'update') return [];
    const needs = a.action === 'addToList' || a.action === 'removeFromList' ? 'list' : 'service';
    const other = needs === 'list' ? 'service' : 'list';
    return a[needs] === undefined || a[other] !== undefined ? [`${a.id}: "${a.action}" takes "${needs}" only`] : [];
  });
}

/** An A/B winner compares two different Delivery activities that run before it (not after it). */
function winnerProblems(activities: readonly Activity[], byId: Map<string, Activity>): string[] {
  return activities.flatMap((a) => {
    if (a.type !== 'abWinner') return [];
    if (a.a === a.b) return [`${a.id}: variants "a" and "b" are two different delivery activities`];
    const after = descendants(a.id, byId);
    return (['a', 'b'] as const).flatMap((v) =>
      byId.get(a[v])?.type !== 'delivery' || after.has(a[v]) ? [`${a.id}.${v}: "${a[v]}" is not a delivery activity before this one`] : [],
    );
  });
}

function descendants(id: string, byId: Map<string, Activity>): Set<string> {
  const found = new Set<string>();
  const visit = (from: string) => {
    for (const { to } of outputsOf(byId.get(from)!)) {
      if (found.has(to)) continue;
      found.add(to);
      visit(to);
    }
  };
  visit(id);
  return found;
}

/** An And-join waits for several branches: it needs at least two transitions leading to it. */
function joinProblems(activities: readonly Activity[]): string[] {
  return activities.flatMap((a) => {
    if (a.type !== 'andJoin') return [];
    const incoming = activities.filter((o) => outputsOf(o).some(({ to }) => to === a.id)).length;
    return incoming < 2 ? [`${a.id}: an and-join needs at least two transitions leading to it, found ${incoming}`] : [];
  });
}
