import assert from 'node:assert/strict';
import { MIGRATIONS } from '../../server/db/migrate.js';
import { recipientsAfter, upsertRecipients } from '../../server/db/repos/recipients.js';
import { searchRecipients } from '../../server/db/repos/recipient-search.js';
import { captureMssql, type MssqlCapture } from '../helpers/mssql-capture.js';
import { matchSnapshot } from '../helpers/snapshots.js';

/** The T-SQL Herald sends to SQL Server, pinned in snapshots (no SQL Server runs on the build machine). */
describe('SQL Server SQL (snapshots)', () => {
  let capture: MssqlCapture;
  before(() => (capture = captureMssql()));
  after(() => capture.restore());

  for (const migration of MIGRATIONS) {
    it(`renders the DDL of migration ${migration.name}`, async () => {
      capture.take(); // what an earlier failing case left behind is not this migration's
      await migration.up(capture.db.sequelize.getQueryInterface());
      const ddl = capture.take();
      if (migration.name === '001-initial') assert.match(ddl, /CREATE TABLE \[recipients\]/);
      assert.doesNotMatch(ddl, /\bJSON\b/, 'SQL Server has no JSON type: JSON is stored as NVARCHAR(MAX)');
      matchSnapshot(`migration-${migration.name}`, ddl);
    });
  }

  it('renders the recipients upsert (lookup by email, bulk insert, update by id)', async () => {
    const now = new Date('2026-01-02T03:04:05.000Z');
    const rows = [
      { email: 'ann@example.com', firstName: 'Ann', lastName: "O'Hara", fields: { city: 'Paris' } },
      { email: 'bob@example.com', firstName: 'Bob', lastName: null },
    ];
    await upsertRecipients(capture.db, rows, new Set(['email', 'firstName', 'lastName'] as const), now);
    matchSnapshot('recipients-upsert', capture.take());
  });

  it('renders the recipients keyset page (no OFFSET scan)', async () => {
    await recipientsAfter(capture.db, 1000, 50);
    const sql = capture.take();
    assert.match(sql, /WHERE \[Recipient\]\.\[id\] > 1000 ORDER BY \[Recipient\]\.\[id\] ASC OFFSET 0 ROWS FETCH NEXT 50 ROWS ONLY/);
    matchSnapshot('recipients-keyset-page', sql);
  });

  it('escapes user text in recipient lookups (quotes doubled, Unicode literal)', async () => {
    await capture.db.models.Recipient.findOne({ where: { email: "x'; DROP TABLE recipients; --" } });
    const sql = capture.take();
    assert.match(sql, /N'x''; DROP TABLE recipients; --'/, 'quotes are doubled and the string is Unicode');
  });

  it('renders the console recipient search: keyset pages per mode, LIKE wildcards escaped', async () => {
    await searchRecipients(capture.db, { mode: 'all', text: '', after: { value: '', id: 500 }, limit: 50 });
    await searchRecipients(capture.db, { mode: 'email', text: 'Ann_%[x', after: { value: 'ann_b@example.com', id: 7 }, limit: 50 });
    await searchRecipients(capture.db, { mode: 'last_name', text: "O'Ha", after: { value: "O'Hara", id: 42 }, limit: 50 });
    const sql = capture.take();
    assert.match(sql, /LIKE N'ann\[_\]\[%\]\[\[\]x%'/, 'wildcards in the search text are literal');
    assert.doesNotMatch(sql, /OFFSET [1-9]/, 'no OFFSET scan');
    matchSnapshot('recipients-console-search', sql);
  });
});
