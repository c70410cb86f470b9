import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { importRecipientsCsv } from '../../server/recipients/import-csv.js';
import { benchInstance, peakRssMb } from './instance.js';

const CITIES = ['Paris', 'Lyon', 'Berlin', 'Madrid', 'Oslo', 'Lisbon', 'Rome', 'Dublin'];

/** Writes a recipients CSV of `rows` rows (1% with a bad address, to exercise the reject path). */
async function writeCsv(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  out.write('email,first_name,last_name,email_format,city,plan\n');
  for (let i = 0; i < rows; i++) {
    const email = i % 100 === 99 ? `broken-address-${i}` : `user${i}@example${i % 50}.com`;
    if (!out.write(`${email},First${i},Last${i},${i % 5 === 0 ? 'text' : 'html'},${CITIES[i % CITIES.length]},p${i % 3}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
}

/** `bench import --rows N`: streams a generated CSV of N recipients through the real importer into SQLite. */
export async function benchImport(options: { rows: number }): Promise<Record<string, number>> {
  const instance = await benchInstance();
  try {
    const file = join(instance.dir, 'recipients.csv');
    await writeCsv(file, options.rows);
    const summary = await importRecipientsCsv(instance.db, createReadStream(file), { batchSize: instance.config.recipients.importBatchSize });
    if (summary.rows !== options.rows) throw new Error(`read ${summary.rows} rows, expected ${options.rows}`);
    return {
      rows: summary.rows,
      seconds: Math.round(summary.seconds * 100) / 100,
      rows_per_s: Math.round(summary.rows / summary.seconds),
      peak_rss_mb: peakRssMb(),
      imported: summary.inserted + summary.updated,
      rejected: summary.rejected,
    };
  } finally {
    await instance.cleanup();
  }
}
