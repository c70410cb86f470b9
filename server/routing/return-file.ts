import { parse } from 'csv-parse/sync';
import type { ReceiptStatus } from '../shared/glossary.js';
import { parseDocumentId } from './document-id.js';

/**
 * A provider's return file, read line by line (pure): `document id, status, date` per line (a first
 * line naming the columns, `document…`, is skipped), CSV-quoted or not, in the configured
 * separator. The status is delivered, returned or bad address (case, spaces, dashes and
 * underscores ignored); the date is an ISO 8601 date or date and time. Each line either gives a
 * return or is rejected with its number, its text and the reason: one bad line never stops the file.
 */

export const RETURN_STATUSES = { delivered: 'delivered', returned: 'returned', badaddress: 'bad_address' } as const satisfies Record<string, ReceiptStatus>;
export type ReturnStatus = (typeof RETURN_STATUSES)[keyof typeof RETURN_STATUSES];

export interface ReturnRow {
  line: number;
  deliveryId: number;
  broadLogId: number;
  status: ReturnStatus;
  at: Date;
}

export interface RejectedRow {
  line: number;
  text: string;
  reason: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const MAX_SHOWN = 500;

function parseDate(value: string): Date | undefined {
  if (!DATE.test(value)) return undefined;
  const at = new Date(value.length === 10 ? `${value}T00:00:00Z` : value.replace(' ', 'T'));
  return Number.isNaN(at.getTime()) ? undefined : at;
}

function cells(line: string, separator: string): string[] | string {
  try {
    const rows = parse(line, { delimiter: separator, relax_column_count: true, trim: true }) as string[][];
    return rows[0] ?? [];
  } catch (err) {
    return err instanceof Error ? err.message.split('\n')[0]!.slice(0, 200) : 'unreadable line';
  }
}

function readLine(line: string, number: number, separator: string): ReturnRow | RejectedRow {
  const reject = (reason: string): RejectedRow => ({ line: number, text: line.slice(0, MAX_SHOWN), reason });
  const values = cells(line, separator);
  if (typeof values === 'string') return reject(`not a CSV line: ${values}`);
  if (values.length !== 3) return reject(`expected 3 values (document id, status, date), got ${values.length}`);
  const [doc, word, date] = values as [string, string, string];
  const id = parseDocumentId(doc);
  if (!id) return reject(`"${doc.slice(0, 60)}" is not a document id Herald wrote (H<delivery>-<message>)`);
  const status = (RETURN_STATUSES as Record<string, ReturnStatus>)[word.toLowerCase().replace(/[\s_-]+/g, '')];
  if (!status) return reject(`"${word.slice(0, 40)}" is not a return status (delivered, returned, bad address)`);
  const at = parseDate(date);
  if (!at) return reject(`"${date.slice(0, 40)}" is not a date (YYYY-MM-DD or an ISO 8601 date and time)`);
  return { line: number, ...id, status, at };
}

export function readReturnFile(content: string, separator: string): { rows: ReturnRow[]; rejected: RejectedRow[] } {
  const rows: ReturnRow[] = [];
  const rejected: RejectedRow[] = [];
  const lines = content.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    if (i === 0 && /^\s*"?document/i.test(line)) return;
    const r = readLine(line, i + 1, separator);
    if ('reason' in r) rejected.push(r);
    else rows.push(r);
  });
  return { rows, rejected };
}
