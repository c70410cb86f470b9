import assert from 'node:assert/strict';
import { QueryTypes } from 'sequelize';
import { upsertRecipients } from '../../server/db/repos/recipients.js';
import { searchQuery, searchRecipients, type SearchMode } from '../../server/db/repos/recipient-search.js';
import { addOperator, ConsoleClient, startConsole, type ConsoleHarness } from './helpers/console.js';

const LAST = ['Lee', 'lewis', 'Martin', 'Moreau', "O'Hara", 'le Gall', 'Smith', 'smithers'];

describe('console recipients', () => {
  let h: ConsoleHarness;
  let c: ConsoleClient;
  before(async () => {
    h = await startConsole('[web]\nimportMaxMb = 1');
    const rows = Array.from({ length: 240 }, (_, i) => ({
      email: `user${String(i).padStart(3, '0')}@example.com`,
      firstName: i % 2 ? 'Ann' : 'bob',
      lastName: LAST[i % LAST.length]!,
    }));
    await upsertRecipients(h.db, rows, new Set(['email', 'firstName', 'lastName']));
    const op = await addOperator(h.db, 'clerk', ['import', 'export']);
    c = new ConsoleClient(h.base);
    await c.login(op.login, op.password);
  });
  after(async () => h.close());

  /** Every row of a search, page by page, following the cursors. */
  async function all(mode: SearchMode, text: string, limit = 7) {
    const out: string[] = [];
    for (let after, pages = 0; pages < 100; pages++) {
      const page = await searchRecipients(h.db, { mode, text, after, limit });
      out.push(...page.rows.map((r) => r.email));
      if (!page.next) return out;
      after = page.next;
    }
    throw new Error('no last page');
  }

  const cases: Array<[SearchMode, string, (r: { email: string; lastName: string | null; firstName: string | null }) => boolean]> = [
    ['email', 'user1', (r) => r.email.startsWith('user1')],
    ['email', 'USER00', (r) => r.email.startsWith('user00')],
    ['email', 'nobody', () => false],
    ['last_name', 'le', (r) => (r.lastName ?? '').toLowerCase().startsWith('le')],
    ['last_name', 'SMITH', (r) => (r.lastName ?? '').toLowerCase().startsWith('smith')],
    ['last_name', "o'h", (r) => r.lastName === "O'Hara"],
    ['first_name', 'a', (r) => r.firstName === 'Ann'],
    ['all', '', () => true],
  ];
  for (const [mode, text, match] of cases) {
    it(`finds every recipient whose ${mode} starts with "${text}", once, across keyset pages`, async () => {
      const expected = (await h.db.models.Recipient.findAll())
        .filter(match)
        .map((r) => r.email)
        .sort();
      const found = await all(mode, text);
      assert.equal(new Set(found).size, found.length, 'no row twice');
      assert.deepEqual([...found].sort(), expected);
    });
  }

  it('reads each search page through an index, without sorting or scanning the table', async function () {
    if (h.db.dialect !== 'sqlite') this.skip();
    for (const mode of ['email', 'last_name', 'first_name', 'all'] as const) {
      const { where, order } = searchQuery('sqlite', { mode, text: 'le', after: { value: 'lee', id: 10 } });
      const qg = h.db.sequelize.getQueryInterface().queryGenerator as { selectQuery(table: string, options: object, model: unknown): string };
      const sql = qg.selectQuery('recipients', { attributes: ['id'], where, order, limit: 51 }, h.db.models.Recipient);
      const plan = (await h.db.sequelize.query<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, { type: QueryTypes.SELECT })).map((p) => p.detail).join(' | ');
      assert.match(plan, /SEARCH|SCAN recipients USING INTEGER PRIMARY KEY/, `${mode}: ${plan}`);
      assert.doesNotMatch(plan, /TEMP B-TREE/, `${mode}: ${plan}`);
    }
  });

  it('shows the list page by page in the browser, then one recipient with its broad logs and quarantine', async () => {
    const first = await c.get('/recipients?by=last_name&q=smith');
    assert.equal(first.status, 200);
    assert.match(first.text, /240 in total/);
    const next = /href="\/recipients\?([^"]+)" rel="next"/.exec(first.text)?.[1];
    assert.ok(next, 'a next page link');
    assert.equal((await c.get(`/recipients?${next.replace(/&amp;/g, '&')}`)).status, 200);
    const ann = (await h.db.models.Recipient.findOne({ where: { email: 'user001@example.com' } }))!;
    const delivery = await h.db.write((t) => h.db.models.Delivery.create({ internalName: 'DM1', label: 'Spring news' }, { transaction: t }));
    await h.db.write((t) =>
      h.db.models.BroadLog.create(
        {
          deliveryId: delivery.id,
          recipientId: ann.id,
          address: ann.email,
          emailFormat: 'html',
          status: 'failed',
          failureType: 'hard',
          failureReason: 'user_unknown',
        },
        { transaction: t },
      ),
    );
    await h.db.write((t) =>
      h.db.models.Quarantine.create(
        { address: ann.email, domain: 'example.com', status: 'quarantine', failureReason: 'user_unknown', errorCount: 1 },
        { transaction: t },
      ),
    );
    const later = await h.db.write((t) => h.db.models.Delivery.create({ internalName: 'DM2', label: 'Summer news' }, { transaction: t }));
    await h.db.write((t) =>
      h.db.models.BroadLog.create(
        {
          deliveryId: later.id,
          recipientId: ann.id,
          address: ann.email,
          emailFormat: 'html',
          status: 'sent',
          sentAt: new Date(),
          smtpResponse: '250 2.0.0 Ok: queued as 4XyZ1 <&>',
          complainedAt: new Date(),
        },
        { transaction: t },
      ),
    );
    const page = await c.get(`/recipients/${ann.id}`);
    assert.match(page.text, /Spring news/);
    assert.match(page.text, /user unknown/);
    assert.match(page.text, /in quarantine/);
    assert.match(page.text, /<code class="small">250 2\.0\.0 Ok: queued as 4XyZ1 &lt;&amp;&gt;<\/code>/, "the remote server's final reply, escaped");
    assert.match(page.text, /spam complaint/);
  });

  it('validates an edit with the import rules and keeps emails unique', async () => {
    const r = (await h.db.models.Recipient.findOne({ where: { email: 'user002@example.com' } }))!;
    await c.get(`/recipients/${r.id}/edit`);
    const bad = await c.post(`/recipients/${r.id}`, { email: 'not-an-address', firstName: 'Bo' });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /no &quot;@&quot; between/);
    assert.match((await c.post(`/recipients/${r.id}`, { email: 'user003@example.com' })).text, /Another recipient has this email/);
    const ok = await c.post(`/recipients/${r.id}`, {
      email: 'Bo@Example.com',
      firstName: 'Bo',
      lastName: '<b>Bold</b>',
      emailFormat: 'text',
      newFieldName: 'city',
      newFieldValue: 'Lyon',
    });
    assert.equal(ok.status, 303);
    await r.reload();
    assert.deepEqual([r.email, r.firstName, r.emailFormat, r.fields], ['bo@example.com', 'Bo', 'text', { city: 'Lyon' }]);
    assert.match((await c.get(`/recipients/${r.id}`)).text, /&lt;b&gt;Bold&lt;\/b&gt;/, 'output is escaped');
    assert.equal(await h.db.models.AuditEntry.count({ where: { action: 'recipient_updated', targetId: String(r.id) } }), 1);
  });

  it('imports a CSV uploaded through the console and offers the reject report', async () => {
    await c.get('/recipients/import');
    const form = new FormData();
    form.append('_csrf', c.csrf);
    form.append('file', new Blob(['E-mail;First Name;city\nnew1@example.com;Nia;Oslo\nbroken;X;Y\nuser000@example.com;Bob;Rome\n']), 'people.csv');
    const reply = await c.request('POST', '/recipients/import', { body: form });
    assert.equal(reply.status, 303);
    await h.web.imports.idle();
    const job = (await h.db.models.ImportJob.findOne({ order: [['id', 'DESC']] }))!;
    assert.deepEqual([job.status, job.rows, job.inserted, job.updated, job.rejected, job.fileName], ['finished', 3, 1, 1, 1, 'people.csv']);
    const status = JSON.parse((await c.get(`/recipients/imports/${job.id}/status`, { accept: 'application/json' })).text);
    assert.equal(status.status, 'finished');
    assert.match((await c.get(reply.location!)).text, /rejects\.csv/);
    const rejects = await c.get(`/recipients/imports/${job.id}/rejects.csv`);
    assert.match(rejects.text, /^line,email,reason\r\n3,broken,"email has no ""@""/);
  });

  it('detects a Latin-1 upload (the job fails, saying which encoding to choose) and honours the encoding chosen on the form', async () => {
    const upload = async (encoding: string | undefined) => {
      await c.get('/recipients/import');
      const form = new FormData();
      form.append('_csrf', c.csrf);
      if (encoding !== undefined) form.append('encoding', encoding);
      form.append('file', new Blob([Buffer.from('email;last_name\nleon@example.com;Léon-Müller\n', 'latin1')]), 'latin1.csv');
      const reply = await c.request('POST', '/recipients/import', { body: form });
      assert.equal(reply.status, 303);
      await h.web.imports.idle();
      return (await h.db.models.ImportJob.findOne({ order: [['id', 'DESC']] }))!;
    };
    const page = await c.get('/recipients/import');
    assert.match(page.text, /<select name="encoding">/);
    assert.ok(page.text.indexOf('name="encoding"') < page.text.indexOf('name="file"'), 'the encoding comes before the file in the form');
    const failed = await upload(undefined);
    assert.equal(failed.status, 'failed');
    assert.match(failed.error ?? '', /not UTF-8 \(line 2/);
    assert.equal(await h.db.models.Recipient.count({ where: { email: 'leon@example.com' } }), 0);
    const done = await upload('windows-1252');
    assert.deepEqual([done.status, done.inserted], ['finished', 1]);
    assert.equal((await h.db.models.Recipient.findOne({ where: { email: 'leon@example.com' } }))?.lastName, 'Léon-Müller');
  });

  it('refuses an upload over the size limit with 413', async () => {
    await c.get('/recipients/import');
    const form = new FormData();
    form.append('_csrf', c.csrf);
    form.append('file', new Blob([`email\n${'x'.repeat(2 * 1024 * 1024)}\n`]), 'big.csv');
    assert.equal((await c.request('POST', '/recipients/import', { body: form })).status, 413);
  });

  it('exports the recipients as CSV (a POST, recorded in the audit log)', async () => {
    await c.get('/recipients');
    const reply = await c.post('/recipients/export');
    assert.equal(reply.status, 200);
    assert.match(reply.headers.get('content-disposition') ?? '', /attachment; filename="recipients-/);
    assert.match(reply.text, /^email,first_name,last_name,email_format,denylisted,denylisted_email/);
    assert.equal(reply.text.trim().split('\r\n').length, 1 + (await h.db.models.Recipient.count()));
    assert.equal(await h.db.models.AuditEntry.count({ where: { action: 'recipients_exported' } }), 1);
  });
});
