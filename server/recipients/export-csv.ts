import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Database } from '../db/connect.js';
import { allRecipients } from '../db/repos/recipients.js';
import { EXPORT_COLUMNS } from './csv-columns.js';
import { csvLine } from './csv-format.js';

/**
 * Writes every recipient as CSV (standard columns, then custom fields). The file re-imports as is.
 * Custom field names are collected in a first pass unless given; both passes stream in keyset pages.
 */
export async function exportRecipientsCsv(db: Database, out: Writable, customFields?: readonly string[]): Promise<{ rows: number; seconds: number }> {
  const started = process.hrtime.bigint();
  const fields = customFields ?? (await collectCustomFields(db));
  const write = async (line: string) => {
    if (!out.write(line)) await once(out, 'drain');
  };
  await write(csvLine([...EXPORT_COLUMNS.map(([, header]) => header), ...fields]));
  let rows = 0;
  for await (const r of allRecipients(db)) {
    await write(csvLine([...EXPORT_COLUMNS.map(([column]) => r[column]), ...fields.map((f) => r.fields?.[f])]));
    rows++;
  }
  return { rows, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

async function collectCustomFields(db: Database): Promise<string[]> {
  const names = new Set<string>();
  for await (const r of allRecipients(db)) for (const name of Object.keys(r.fields ?? {})) names.add(name);
  return [...names].sort();
}
