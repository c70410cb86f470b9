import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { Database } from '../db/connect.js';
import { detectDelimiter } from './csv-columns.js';
import { assertUtf8File, bomEncoding, checkEncodingLabel, decodeStream } from './csv-encoding.js';
import { fileHead, firstLine } from './csv-file.js';
import { importRecipientsCsv, type ImportOptions, type ImportSummary } from './import-csv.js';

/**
 * Imports a recipients CSV file: the one path of `herald recipients import` and of the console's
 * uploads. Its encoding is settled first (declared, a UTF-16 byte-order mark, or UTF-8 checked
 * whole: csv-encoding.ts), then its delimiter is read from its header line, then its rows are
 * streamed into the database by import-csv.ts.
 */
export async function importRecipientsFile(
  db: Database,
  file: string,
  options: Omit<ImportOptions, 'delimiter'> & { encoding?: string },
): Promise<ImportSummary & { encoding: string }> {
  const declared = options.encoding?.trim() ? checkEncodingLabel(options.encoding) : undefined;
  const encoding = bomEncoding(await fileHead(file)) ?? declared ?? 'utf-8';
  if (encoding === 'utf-8') await assertUtf8File(file);
  const delimiter = detectDelimiter(await firstLine(file, encoding));
  const bytes = createReadStream(file);
  const input = encoding === 'utf-8' ? bytes : Readable.from(decodeStream(bytes, encoding));
  return { ...(await importRecipientsCsv(db, input, { ...options, delimiter })), encoding };
}
