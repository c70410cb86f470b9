import type { Readable } from 'node:stream';
import { type CsvError, parse } from 'csv-parse';
import type { Database } from '../db/connect.js';
import { HeraldError } from '../shared/errors.js';
import { EXIT } from '../shared/exit-codes.js';
import { upsertRecipients, type RecipientRow } from '../db/repos/recipients.js';
import { mapHeader, parseRow, type HeaderMap } from './csv-columns.js';

/**
 * Streams a recipients CSV into the database: upsert by email, in batches of one transaction each.
 * A bad row is rejected with its line number and reason and the rest goes on; memory stays flat
 * whatever the file size (the parser is pulled one record at a time).
 */

export interface Reject {
  line: number;
  email: string;
  reason: string;
}

export interface ImportOptions {
  batchSize: number;
  /** Country a mobile or fax number written without its country code is read in ('' or absent: such numbers are rejected). */
  defaultCountry?: string;
  delimiter?: string;
  onReject?: (reject: Reject) => void;
  /** Called after each batch with the rows and bytes read so far. */
  onProgress?: (rows: number, bytes: number) => void;
  /** Called after each batch is written with its addresses (adds them to a list, subscribes them…). */
  onBatch?: (emails: string[]) => Promise<void>;
}

export interface ImportSummary {
  rows: number;
  inserted: number;
  updated: number;
  rejected: number;
  seconds: number;
}

interface Parsed {
  record: string[];
  info: { lines: number; bytes: number };
}

export async function importRecipientsCsv(db: Database, input: Readable, options: ImportOptions): Promise<ImportSummary> {
  const started = process.hrtime.bigint();
  const summary: ImportSummary = { rows: 0, inserted: 0, updated: 0, rejected: 0, seconds: 0 };
  const reject = (r: Reject) => {
    summary.rejected++;
    options.onReject?.(r);
  };
  const parser = input.pipe(
    parse({ bom: true, delimiter: options.delimiter ?? ',', relax_column_count: true, skip_empty_lines: true, info: true, skip_records_with_error: true }),
  );
  // The parser runs ahead of this loop: unreadable records are held back and reported in line order.
  const unreadable: Reject[] = [];
  parser.on('skip', (err: CsvError & { lines?: number }) => {
    unreadable.push({ line: err.lines ?? 0, email: '', reason: `unreadable CSV: ${err.message.split('\n')[0]}` });
  });
  const reportUnreadable = (beforeLine: number) => {
    while (unreadable.length > 0 && unreadable[0]!.line < beforeLine) {
      summary.rows++;
      reject(unreadable.shift()!);
    }
  };

  let header: HeaderMap | undefined;
  let batch = new Map<string, RecipientRow>();
  let duplicates = 0;
  let bytes = 0;
  const flush = async () => {
    if (batch.size === 0) return;
    const result = await upsertRecipients(db, [...batch.values()], header!.standard);
    await options.onBatch?.([...batch.keys()]);
    summary.inserted += result.inserted;
    summary.updated += result.updated + duplicates;
    batch = new Map();
    duplicates = 0;
    options.onProgress?.(summary.rows, bytes);
  };

  for await (const { record, info } of parser as AsyncIterable<Parsed>) {
    reportUnreadable(info.lines);
    if (!header) {
      header = mapHeader(record);
      continue;
    }
    summary.rows++;
    bytes = info.bytes;
    const result = parseRow(record, header, { defaultCountry: options.defaultCountry || undefined });
    if (!result.ok) {
      reject({ line: info.lines, email: emailOf(record, header), reason: result.reason });
      continue;
    }
    if (batch.has(result.row.email)) duplicates++;
    batch.set(result.row.email, result.row);
    if (batch.size >= options.batchSize) await flush();
  }
  reportUnreadable(Infinity);
  if (!header) throw new HeraldError('IMPORT_EMPTY', 'the CSV file is empty (no header row)', { exitCode: EXIT.DATA, status: 400 });
  await flush();
  summary.seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return summary;
}

function emailOf(record: readonly string[], header: HeaderMap): string {
  const i = header.columns.findIndex((c) => c.kind === 'standard' && c.column === 'email');
  return (record[i] ?? '').trim().slice(0, 320);
}
