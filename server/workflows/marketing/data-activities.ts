import { parse } from 'csv-parse/sync';
import { fillCustomField, recipientValues } from '../../db/repos/workflow-recipient-data.js';
import { HeraldError } from '../../shared/errors.js';
import type { Outputs, WaveEnv, WaveState } from './activities.js';
import type { Activity } from './definition.js';

/**
 * Deduplication and Enrichment: the activities that look at the population's data rather than
 * select it. The rules (what makes two recipients duplicates, how a CSV is read) are pure and
 * exported for their table tests.
 */

/** The mailbox an address reaches: lower case, without a "+tag" in the local part. */
export function mailboxOf(email: string): string {
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at).toLowerCase();
  return `${local.split('+')[0]}@${email.slice(at + 1).toLowerCase()}`;
}

/** Keeps the first recipient (population order) of each key; recipients without a key are never duplicates. */
export function splitDuplicates(ids: readonly number[], keyOf: (id: number) => string | null): { kept: number[]; duplicates: number[] } {
  const seen = new Set<string>();
  const kept: number[] = [];
  const duplicates: number[] = [];
  for (const id of ids) {
    const key = keyOf(id);
    if (key !== null && seen.has(key)) duplicates.push(id);
    else {
      if (key !== null) seen.add(key);
      kept.push(id);
    }
  }
  return { kept, duplicates };
}

/**
 * The values of `column` by email (lower case) from CSV text with a header row holding an `email`
 * column and `column`. Rows without an email or a value are skipped; a malformed CSV or a missing
 * column is an error that says where.
 */
export function enrichmentValues(csv: string, column: string): Map<string, string> {
  let rows: Array<Record<string, string>>;
  try {
    rows = parse(csv, { columns: (header: string[]) => header.map((h) => h.trim()), skip_empty_lines: true, trim: true, bom: true, relax_column_count: false });
  } catch (err) {
    throw new HeraldError('WF_BAD_CSV', `the CSV cannot be read: ${(err as Error).message}`);
  }
  const header = rows.length ? Object.keys(rows[0]!) : (parse(csv, { to_line: 1 })[0] ?? []);
  for (const needed of ['email', column])
    if (!header.includes(needed)) throw new HeraldError('WF_BAD_CSV', `the CSV has no "${needed}" column (it has: ${header.join(', ')})`);
  const values = new Map<string, string>();
  for (const row of rows) {
    const email = row.email?.toLowerCase();
    const value = row[column];
    if (email && value) values.set(email, value);
  }
  return values;
}

export async function runDedup(a: Extract<Activity, { type: 'dedup' }>, input: number[] | null, env: WaveEnv, wave: WaveState): Promise<Outputs> {
  const ids = input ?? [];
  const values = await recipientValues(env.db, ids, a.by === 'email' ? 'email' : { field: a.by });
  const { kept, duplicates } = splitDuplicates(
    ids.filter((id) => values.has(id)),
    (id) => {
      const v = values.get(id) ?? null;
      return v === null ? null : a.by === 'email' ? mailboxOf(v) : v.trim().toLowerCase();
    },
  );
  wave.counts[`${a.id}.duplicates`] = (wave.counts[`${a.id}.duplicates`] ?? 0) + duplicates.length;
  return [
    { output: 'next', population: kept },
    { output: 'duplicates', population: duplicates },
  ];
}

export async function runEnrichment(a: Extract<Activity, { type: 'enrichment' }>, input: number[] | null, env: WaveEnv, wave: WaveState): Promise<Outputs> {
  const ids = input ?? [];
  if (ids.length) {
    const byEmail = enrichmentValues(a.csv, a.column);
    const changed = await fillCustomField(env.db, { ids, byEmail, field: a.field, overwrite: a.overwrite ?? false, now: env.now });
    wave.counts[`${a.id}.enriched`] = (wave.counts[`${a.id}.enriched`] ?? 0) + changed;
  }
  return [{ output: 'next', population: ids }];
}
