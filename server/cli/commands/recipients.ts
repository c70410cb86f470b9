import { createWriteStream, type WriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { stat } from 'node:fs/promises';
import { once } from 'node:events';
import { csvLine } from '../../recipients/csv-format.js';
import { exportRecipientsCsv } from '../../recipients/export-csv.js';
import type { Reject } from '../../recipients/import-csv.js';
import { importRecipientsFile } from '../../recipients/import-file.js';
import { HeraldError } from '../../shared/errors.js';
import { EXIT } from '../../shared/exit-codes.js';
import type { Command } from '../command.js';
import { commandConfig, withDatabase } from '../context.js';
import { progressBar } from '../progress.js';

async function fileSize(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    throw new HeraldError('NO_INPUT', `cannot read ${file}`, { exitCode: EXIT.NO_INPUT });
  }
}

export const recipientsCommands: Command[] = [
  {
    words: ['recipients', 'import'],
    usage: 'recipients import <file.csv> [--encoding <name>] [--rejects <file>] [--no-progress]',
    summary:
      'import recipients from CSV (upsert by email); bad rows go to a reject report with line and reason; the file is UTF-8 unless --encoding names another (e.g. windows-1252)',
    args: [1, 1],
    options: { encoding: { type: 'string' }, rejects: { type: 'string' }, 'no-progress': { type: 'boolean' } },
    async run(input) {
      const file = input.args[0]!;
      const size = await fileSize(file);
      const { config } = commandConfig(input);
      const rejectsFile = typeof input.flags.rejects === 'string' ? input.flags.rejects : `${file}.rejects.csv`;
      let rejects: WriteStream | undefined;
      const onReject = (r: Reject) => {
        if (!rejects) {
          rejects = createWriteStream(rejectsFile);
          rejects.write(csvLine(['line', 'email', 'reason']));
        }
        rejects.write(csvLine([r.line, r.email, r.reason]));
      };
      const progress = progressBar(input.err, !input.flags['no-progress'] && Boolean(input.err.isTTY));
      const summary = await withDatabase(input, async (db) =>
        importRecipientsFile(db, file, {
          batchSize: config.recipients.importBatchSize,
          defaultCountry: config.recipients.defaultCountry,
          encoding: typeof input.flags.encoding === 'string' ? input.flags.encoding : undefined,
          onReject,
          onProgress: (rows, bytes) => progress.update(bytes, size, `${rows.toLocaleString('en')} rows`),
        }),
      );
      progress.finish();
      if (rejects) {
        rejects.end();
        await once(rejects, 'close');
      }
      input.out.write(
        `imported ${summary.rows - summary.rejected} of ${summary.rows} rows in ${summary.seconds.toFixed(1)} s: ${summary.inserted} new, ${summary.updated} updated, ${summary.rejected} rejected` +
          (summary.rejected ? ` (reasons in ${rejectsFile})` : '') +
          (summary.encoding === 'utf-8' ? '' : `; read as ${summary.encoding}`) +
          '\n',
      );
      return summary.rows > 0 && summary.rejected === summary.rows ? EXIT.DATA : EXIT.OK;
    },
  },
  {
    words: ['recipients', 'export'],
    usage: 'recipients export [--output <file.csv>] [--fields <f1,f2>]',
    summary: 'export every recipient as CSV (to stdout or a file); the file re-imports as is',
    options: { output: { type: 'string' }, fields: { type: 'string' } },
    async run(input) {
      const fields =
        typeof input.flags.fields === 'string'
          ? input.flags.fields
              .split(',')
              .map((f) => f.trim())
              .filter(Boolean)
          : undefined;
      const output = typeof input.flags.output === 'string' ? createWriteStream(input.flags.output) : undefined;
      const result = await withDatabase(input, (db) => exportRecipientsCsv(db, output ?? (input.out as NodeJS.WritableStream as Writable), fields));
      if (output) {
        output.end();
        await once(output, 'close');
        input.err.write(`exported ${result.rows} recipients to ${input.flags.output}\n`);
      }
      return EXIT.OK;
    },
  },
];
