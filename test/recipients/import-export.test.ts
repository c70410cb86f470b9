import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import type { Database } from '../../server/db/connect.js';
import { upsertRecipients } from '../../server/db/repos/recipients.js';
import { exportRecipientsCsv } from '../../server/recipients/export-csv.js';
import { importRecipientsCsv, type Reject } from '../../server/recipients/import-csv.js';
import { importRecipientsFile } from '../../server/recipients/import-file.js';
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
    const cy = await db.models.Recipient.findOne({ where: { email: 'cy@example.com' } });
    assert.equal(cy?.firstName, 'Cy, Jr.');
    assert.equal(cy?.lastName, 'O"Neil');
    assert.deepEqual(cy?.fields, { city: 'Oslo' });
  });

  it('upserts by email: updates only the columns in the file and merges custom fields', async () => {
    await run('email,first_name,last_name,city,plan\nann@example.com,Ann,Lee,Paris,gold\n');
    const { summary } = await run('EMAIL;City\nANN@example.com;Lyon\n', 10, ';');
    assert.equal(summary.updated, 1);
    const ann = await db.models.Recipient.findOne({ where: { email: 'ann@example.com' } });
    assert.equal(ann?.firstName, 'Ann', 'a column absent from the file is kept');
    assert.deepEqual(ann?.fields, { city: 'Lyon', plan: 'gold' });
    assert.equal(await db.models.Recipient.count(), 1);
  });

  it('imports each recipient’s language (regional forms read as the language), rejects an unknown one with its reason, and keeps it when the column is absent', async () => {
    const { summary, rejects } = await run(
      'email,Language\nann@example.com,es\nbob@example.com,DE-ch\ncid@example.com,\ndan@example.com,klingon\neve@example.com,fr_CA\n',
    );
    assert.equal(summary.inserted, 4);
    assert.deepEqual(
      rejects.map((r) => [r.line, r.reason]),
      [[5, 'language must be one of en, es, fr, de (or a regional form such as es-MX), got "klingon"']],
    );
    const language = async (email: string) => (await db.models.Recipient.findOne({ where: { email } }))?.language;
    assert.deepEqual(
      [await language('ann@example.com'), await language('bob@example.com'), await language('cid@example.com'), await language('eve@example.com')],
      ['es', 'de', null, 'fr'],
    );
    await run('email,first_name\nann@example.com,Ann\n');
    assert.equal(await language('ann@example.com'), 'es', 'a file without the column keeps the language');
    await run('email,lang\nann@example.com,\n');
    assert.equal(await language('ann@example.com'), null, 'an empty cell clears it');
  });

  it('keeps the last of duplicate rows, within a batch and across batches', async () => {
    const { summary } = await run('email,first_name\na@example.com,One\na@example.com,Two\nb@example.com,B\nc@example.com,C\na@example.com,Three\n', 3);
    assert.equal(await db.models.Recipient.count(), 3);
    assert.equal((await db.models.Recipient.findOne({ where: { email: 'a@example.com' } }))?.firstName, 'Three');
    assert.equal(summary.inserted + summary.updated, 5);
  });

  it('stops before writing anything when the header is unusable or the file is empty', async () => {
    await assert.rejects(run('name,city\nAnn,Paris\n'), (err: HeraldError) => err.code === 'IMPORT_BAD_HEADER');
    await assert.rejects(run(''), (err: HeraldError) => err.code === 'IMPORT_EMPTY');
    assert.equal(await db.models.Recipient.count(), 0);
  });

  it('stores mobile numbers in E.164 and rejects a row whose number cannot receive an SMS, with its reason', async () => {
    const rejects: Reject[] = [];
    const file = 'email,mobile\nann@example.com,06 12 34 56 78\nbob@example.com,01 45 67 89 01\ncy@example.com,+44 7700 900123\ndee@example.com,\n';
    const summary = await importRecipientsCsv(db, csv(file), { batchSize: 2, defaultCountry: 'FR', onReject: (r) => rejects.push(r) });
    assert.deepEqual([summary.inserted, summary.rejected], [2, 2]);
    assert.deepEqual(rejects, [
      { line: 3, email: 'bob@example.com', reason: 'mobile number "01 45 67 89 01" is a landline, not a mobile number' },
      { line: 4, email: 'cy@example.com', reason: 'mobile number "+44 7700 900123" is not a valid number' },
    ]);
    const stored = await db.models.Recipient.findAll({ attributes: ['email', 'mobile'], order: [['email', 'ASC']], raw: true });
    assert.deepEqual(stored, [
      { email: 'ann@example.com', mobile: '+33612345678' },
      { email: 'dee@example.com', mobile: null },
    ]);
  });

  it('reads time zone and country columns, rejects a row whose zone or country is not one with its reason, and exports them back', async () => {
    const file = [
      'email,time_zone,postal_country',
      'ann@example.com,america/new_york,us',
      'bob@example.com,,JP',
      'cy@example.com,Europe/Atlantis,FR',
      'dee@example.com,Asia/Kolkata,XX',
      'eve@example.com,Asia/Calcutta,',
      'fay@example.com,,',
    ].join('\n');
    const { summary, rejects } = await run(file);
    assert.deepEqual(rejects, [
      { line: 4, email: 'cy@example.com', reason: 'time_zone must be an IANA time zone such as Europe/Paris, got "Europe/Atlantis"' },
      { line: 5, email: 'dee@example.com', reason: 'postal_country must be an ISO 3166 two-letter country code such as FR, got "XX"' },
    ]);
    assert.deepEqual([summary.inserted, summary.rejected], [4, 2]);
    const stored = await db.models.Recipient.findAll({ attributes: ['email', 'timeZone', 'country'], order: [['email', 'ASC']], raw: true });
    const kolkata = new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Kolkata' }).resolvedOptions().timeZone; // the runtime's canonical name
    assert.deepEqual(stored, [
      { email: 'ann@example.com', timeZone: 'America/New_York', country: 'US' },
      { email: 'bob@example.com', timeZone: null, country: 'JP' },
      { email: 'eve@example.com', timeZone: kolkata, country: null },
      { email: 'fay@example.com', timeZone: null, country: null },
    ]);
    await run('email,time_zone\nann@example.com,\nbob@example.com,Asia/Tokyo\n');
    const updated = await db.models.Recipient.findAll({
      attributes: ['email', 'timeZone', 'country'],
      where: { email: ['ann@example.com', 'bob@example.com'] },
      order: [['email', 'ASC']],
      raw: true,
    });
    assert.deepEqual(
      updated,
      [
        { email: 'ann@example.com', timeZone: null, country: 'US' },
        { email: 'bob@example.com', timeZone: 'Asia/Tokyo', country: 'JP' },
      ],
      'an empty zone clears the zone; the country, not in the file, stays',
    );
    let out = '';
    const sink = new Writable({ write: (chunk, _enc, cb) => ((out += chunk), cb()) });
    await exportRecipientsCsv(db, sink);
    const lines = out.trim().split('\r\n');
    const header = lines[0]!.split(',');
    const [zoneAt, countryAt] = [header.indexOf('time_zone'), header.indexOf('postal_country')];
    assert.deepEqual(
      lines.slice(1).map((l) => [l.split(',')[0], l.split(',')[zoneAt], l.split(',')[countryAt]]),
      [
        ['ann@example.com', '', 'US'],
        ['bob@example.com', 'Asia/Tokyo', 'JP'],
        ['eve@example.com', kolkata, ''],
        ['fay@example.com', '', ''],
      ],
    );
  });

  it('reads a UTF-8 BOM and CRLF line ends as Excel writes them', async () => {
    const { summary } = await run('\uFEFFemail,first_name\r\nzoé@example.com,Zoé\r\nzoe@example.com,Zoé\r\n');
    assert.equal(summary.inserted, 1, 'a non-ASCII local part is rejected, the plain one imported');
    assert.equal((await db.models.Recipient.findOne({ where: { email: 'zoe@example.com' } }))?.firstName, 'Zoé');
  });

  it('exports every recipient so that the file imports back to the same data', async () => {
    await run(
      'email,first_name,denylisted,city,plan,mobile,postal_city,denylisted_sms,language\n' +
        'ann@example.com,"=cmd()",yes,Paris,,+33 6 12 34 56 78,Lyon,yes,es-MX\nbob@example.com,Bob,no,,silver,,,,\n',
    );
    let out = '';
    const sink = new Writable({ write: (chunk, _enc, cb) => ((out += chunk), cb()) });
    const { rows } = await exportRecipientsCsv(db, sink);
    assert.equal(rows, 2);
    const lines = out.trim().split('\r\n');
    assert.equal(
      lines[0],
      'email,first_name,last_name,email_format,denylisted,denylisted_email,mobile,fax,address_line1,address_line2,postal_code,postal_city,postal_country,' +
        'time_zone,denylisted_sms,denylisted_push,denylisted_postal,denylisted_fax,language,city,plan',
    );
    assert.equal(lines[1], "ann@example.com,'=cmd(),,html,true,false,'+33612345678,,,,,Lyon,,,true,false,false,false,es,Paris,");
    assert.equal(lines[2], 'bob@example.com,Bob,,html,false,false,,,,,,,,,false,false,false,false,,,silver');
    await db.models.Recipient.destroy({ where: {} });
    const again = await run(out);
    assert.deepEqual(again.rejects, [], 'the export imports back');
    const ann = await db.models.Recipient.findOne({ where: { email: 'ann@example.com' } });
    assert.deepEqual(
      [ann?.mobile, ann?.city, ann?.denylistedSms, ann?.language, ann?.fields],
      ['+33612345678', 'Lyon', true, 'es', { city: 'Paris', plan: '' }],
    );
  });

  it('rejects a row holding a NUL byte or another control character with its line and reason, and imports every other row across batches', async () => {
    const bad = new Map<number, [string, string]>([
      [5, ['nul\u0000@example.com', 'x']],
      [350, ['row350@example.com', 'Le\u0000e']],
      [777, ['row777@example.com', 'Bell\u0007']],
      [1100, ['row1100@example.com', 'Del\u007f']],
      [1150, ['row1150@example.com', 'C1\u0085']],
    ]);
    const lines = ['email,last_name'];
    for (let line = 2; line <= 1201; line++) {
      const [email, name] = bad.get(line) ?? [`row${line}@example.com`, `Name ${line}`];
      lines.push(`${email},"${name}"`);
    }
    const { summary, rejects } = await run(lines.join('\n') + '\n', 100);
    assert.deepEqual(
      rejects.map((r) => [r.line, r.reason]),
      [
        [5, 'email holds a control character (U+0000)'],
        [350, 'last_name holds a control character (U+0000)'],
        [777, 'last_name holds a control character (U+0007)'],
        [1100, 'last_name holds a control character (U+007F)'],
        [1150, 'last_name holds a control character (U+0085)'],
      ],
    );
    assert.deepEqual({ ...summary, seconds: 0 }, { rows: 1200, inserted: 1195, updated: 0, rejected: 5, seconds: 0 });
    const imported = new Set((await db.models.Recipient.findAll({ attributes: ['email'] })).map((r) => r.email));
    for (let line = 2; line <= 1201; line++)
      assert.ok(imported.has(`row${line}@example.com`) !== rejects.some((r) => r.line === line), `line ${line}: imported or rejected, once`);
    assert.equal((await db.models.Recipient.findOne({ where: { email: 'row351@example.com' } }))?.lastName, 'Name 351');
  });

  const file = (name: string, bytes: Buffer) => {
    const path = join(instance.dir, name);
    writeFileSync(path, bytes);
    return path;
  };

  it('stops before importing anything when a file is not UTF-8 (Latin-1 / Windows-1252), naming the line and the encoding to declare', async () => {
    const latin1 = file('latin1.csv', Buffer.from('email,first_name\r\nann@example.com,Ann\r\nzoe@example.com,Zoé\r\n', 'latin1'));
    await assert.rejects(importRecipientsFile(db, latin1, { batchSize: 1 }), (err: HeraldError) => {
      assert.equal(err.code, 'IMPORT_ENCODING');
      assert.match(err.message, /not UTF-8/);
      assert.match(err.message, /line 3/);
      assert.match(err.message, /windows-1252/);
      return true;
    });
    assert.equal(await db.models.Recipient.count(), 0, 'not even the rows before the first bad byte');
  });

  const encoded: Array<[string, string | undefined, Buffer, string]> = [
    ['windows-1252', 'windows-1252', Buffer.from([...Buffer.from('email;first_name\nzoe@example.com;Zo'), 0xe9, 0x20, 0x80, 0x0a]), 'Zoé €'],
    ['iso-8859-15', 'iso-8859-15', Buffer.from([...Buffer.from('email;first_name\nzoe@example.com;Zo'), 0xe9, 0x20, 0xa4, 0x0a]), 'Zoé €'],
    [
      'UTF-16 with a byte-order mark (found without being declared)',
      undefined,
      Buffer.from('\uFEFFemail\tfirst_name\r\nzoe@example.com\tZoé 😀\r\n', 'utf16le'),
      'Zoé 😀',
    ],
    ['UTF-8 with a byte-order mark', undefined, Buffer.from('\uFEFFemail,first_name\nzoe@example.com,Zoé\n'), 'Zoé'],
  ];
  for (const [what, encoding, bytes, name] of encoded)
    it(`reads a file in ${what}${encoding ? ' when it is declared' : ''}, delimiter included`, async () => {
      const summary = await importRecipientsFile(db, file('encoded.csv', bytes), { batchSize: 10, encoding });
      assert.equal(summary.inserted, 1);
      assert.equal((await db.models.Recipient.findOne({ where: { email: 'zoe@example.com' } }))?.firstName, name);
    });

  it('refuses an encoding it does not know, before reading the file', async () => {
    await assert.rejects(importRecipientsFile(db, file('x.csv', Buffer.from('email\n')), { batchSize: 1, encoding: 'klingon-1' }), (err: HeraldError) => {
      assert.equal(err.code, 'IMPORT_ENCODING');
      assert.match(err.message, /unknown encoding "klingon-1"/);
      return true;
    });
  });

  it('re-imports its own export unchanged: formula-guarded cells come back as they were and no recipient is added', async () => {
    const values = ['+33123456789', '-12', '=1+1', '@home', "'quoted", "'+both", "''=twice", '\tindented', 'plain'];
    await upsertRecipients(
      db,
      [
        ...values.map((v, i) => ({ email: `r${i}@example.com`, firstName: v, fields: { phone: v } })),
        { email: '+tag@example.com', firstName: 'Plus', fields: { phone: '+1' } },
        { email: '-dash@example.com', firstName: 'Dash', fields: { phone: '-1' } },
        { email: '=eq@example.com', firstName: 'Eq', fields: { phone: '=1' } },
      ],
      new Set(['email', 'firstName']),
    );
    const snapshot = async () =>
      (await db.models.Recipient.findAll({ order: [['id', 'ASC']] })).map((r) => [
        r.id,
        r.email,
        r.firstName,
        r.lastName,
        r.fields,
        r.denylisted,
        r.emailFormat,
      ]);
    const before = await snapshot();
    let out = '';
    await exportRecipientsCsv(db, new Writable({ write: (chunk, _enc, cb) => ((out += chunk), cb()) }));
    assert.match(out, /^'\+tag@example\.com,Plus,/m, 'the export is still formula-safe');
    assert.match(out, /^r0@example\.com,'\+33123456789,/m);
    const again = await run(out, 5);
    assert.deepEqual(again.rejects, []);
    assert.equal(again.summary.inserted, 0, 'no new recipient');
    assert.deepEqual(await snapshot(), before, 'every value came back as it was');

    await db.models.Recipient.destroy({ where: {} });
    const fresh = await run(out, 5);
    assert.equal(fresh.summary.inserted, before.length, 'into an empty database: every recipient again');
    const byEmail = (a: unknown[], b: unknown[]) => (String(a[0]) < String(b[0]) ? -1 : 1);
    const copy = (await db.models.Recipient.findAll()).map((r) => [r.email, r.firstName, r.fields]).sort(byEmail);
    assert.deepEqual(copy, before.map(([, email, firstName, , fields]) => [email, firstName, fields]).sort(byEmail));
  });
});
