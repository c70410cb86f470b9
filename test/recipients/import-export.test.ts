import assert from 'node:assert/strict';
import { Readable, Writable } from 'node:stream';
import type { Database } from '../../server/db/connect.js';
import { Recipient } from '../../server/db/models/index.js';
import { exportRecipientsCsv } from '../../server/recipients/export-csv.js';
import { importRecipientsCsv, type Reject } from '../../server/recipients/import-csv.js';
import type { HeraldError } from '../../server/shared/errors.js';
import { createInstance, openTestDb, type TestInstance } from '../helpers/instance.js';

const csv = (text: string) => Readable.from([Buffer.from(text)]);

describe('recipients import and export', () => {
  let instance: TestInstance;
  let db: Database;
  beforeEach(async () => {
    instance = createInstance();
    db = await openTestDb(instance);
  });
  afterEach(async () => {
    await db.close();
    instance.cleanup();
  });

  const run = async (text: string, batchSize = 2, delimiter = ',') => {
    const rejects: Reject[] = [];
    const summary = await importRecipientsCsv(db, csv(text), { batchSize, delimiter, onReject: (r) => rejects.push(r) });
    return { summary, rejects };
  };

  it('imports good rows, rejects bad rows with line number and reason, and loses nothing else', async () => {
    const file = [
      'email,first_name,last_name,city',
      'ann@example.com,Ann,Lee,Paris',
      'not-an-address,Bob,,Rome',
      'cy@example.com,"Cy, Jr.","O""Neil",Oslo',
      'dee@example.com,Dee,,Nice,extra',
      '',
      'eve@example.com,Eve,,Lima',
      '"broken,quote',
    ].join('\n');
    const { summary, rejects } = await run(file);
    assert.deepEqual(
      rejects.map((r) => [r.line, r.email, r.reason.replace(/:.*/, '')]),
      [
        [3, 'not-an-address', 'email has no "@" between a local part and a domain'],
        [5, 'dee@example.com', 'expected 4 columns, got 5'],
        [8, '', 'unreadable CSV'],
      ],
    );
    assert.deepEqual({ ...summary, seconds: 0 }, { rows: 6, inserted: 3, updated: 0, rejected: 3, seconds: 0 });
    const cy = await Recipient.findOne({ where: { email: 'cy@example.com' } });
    assert.equal(cy?.firstName, 'Cy, Jr.');
    assert.equal(cy?.lastName, 'O"Neil');
    assert.deepEqual(cy?.fields, { city: 'Oslo' });
  });

  it('upserts by email: updates only the columns in the file and merges custom fields', async () => {
    await run('email,first_name,last_name,city,plan\nann@example.com,Ann,Lee,Paris,gold\n');
    const { summary } = await run('EMAIL;City\nANN@example.com;Lyon\n', 10, ';');
    assert.equal(summary.updated, 1);
    const ann = await Recipient.findOne({ where: { email: 'ann@example.com' } });
    assert.equal(ann?.firstName, 'Ann', 'a column absent from the file is kept');
    assert.deepEqual(ann?.fields, { city: 'Lyon', plan: 'gold' });
    assert.equal(await Recipient.count(), 1);
  });

  it('keeps the last of duplicate rows, within a batch and across batches', async () => {
    const { summary } = await run('email,first_name\na@example.com,One\na@example.com,Two\nb@example.com,B\nc@example.com,C\na@example.com,Three\n', 3);
    assert.equal(await Recipient.count(), 3);
    assert.equal((await Recipient.findOne({ where: { email: 'a@example.com' } }))?.firstName, 'Three');
    assert.equal(summary.inserted + summary.updated, 5);
  });

  it('stops before writing anything when the header is unusable or the file is empty', async () => {
    await assert.rejects(run('name,city\nAnn,Paris\n'), (err: HeraldError) => err.code === 'IMPORT_BAD_HEADER');
    await assert.rejects(run(''), (err: HeraldError) => err.code === 'IMPORT_EMPTY');
    assert.equal(await Recipient.count(), 0);
  });

  it('reads a UTF-8 BOM and CRLF line ends as Excel writes them', async () => {
    const { summary } = await run('\uFEFFemail,first_name\r\nzoé@example.com,Zoé\r\nzoe@example.com,Zoé\r\n');
    assert.equal(summary.inserted, 1, 'a non-ASCII local part is rejected, the plain one imported');
    assert.equal((await Recipient.findOne({ where: { email: 'zoe@example.com' } }))?.firstName, 'Zoé');
  });

  it('exports every recipient so that the file imports back to the same data', async () => {
    await run('email,first_name,denylisted,city,plan\nann@example.com,"=cmd()",yes,Paris,\nbob@example.com,Bob,no,,silver\n');
    let out = '';
    const sink = new Writable({ write: (chunk, _enc, cb) => ((out += chunk), cb()) });
    const { rows } = await exportRecipientsCsv(sink);
    assert.equal(rows, 2);
    const lines = out.trim().split('\r\n');
    assert.equal(lines[0], 'email,first_name,last_name,email_format,denylisted,denylisted_email,city,plan');
    assert.equal(lines[1], "ann@example.com,'=cmd(),,html,true,false,Paris,");
    assert.equal(lines[2], 'bob@example.com,Bob,,html,false,false,,silver');
  });
});
