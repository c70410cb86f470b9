import { csvLine } from '../../recipients/csv-format.js';
import type { ConsoleContext } from '../state.js';

/**
 * Answers with a report table as a CSV download: a header line, then the rows, each cell
 * formula-safe (server/recipients/csv-format.ts). Reports are small aggregates: built in memory.
 */
export function sendCsv(ctx: ConsoleContext, fileName: string, header: readonly string[], rows: ReadonlyArray<readonly unknown[]>): void {
  ctx.type = 'text/csv; charset=utf-8';
  ctx.attachment(fileName);
  ctx.set('Cache-Control', 'no-store');
  ctx.body = csvLine(header) + rows.map((r) => csvLine(r)).join('');
}
