import assert from 'node:assert/strict';
import { applyBulkBatch } from '../../server/db/repos/bulk-actions.js';
import { countMatching, matchingIdsAfter } from '../../server/db/repos/segments.js';
import { captureMssql, type MssqlCapture } from '../helpers/mssql-capture.js';
import { matchSnapshot } from '../helpers/snapshots.js';

const NOW = new Date('2026-06-01T04:00:00.000Z');
const audit = { at: NOW, operatorId: 1, operatorLogin: 'root' };

/** The T-SQL of the audience pages: live counts, a bulk action's keyset pages and batches, pinned in snapshots. */
describe('SQL Server SQL of audiences (snapshots)', () => {
  let capture: MssqlCapture;
  before(() => (capture = captureMssql()));
  after(() => capture.restore());

  it('counts a filter over a custom field and a list, and pages a selection by id', async () => {
    const where = { all: [{ field: 'fields.city' as const, op: 'eq' as const, value: 'Paris' }, { inList: 'vip' }] };
    await countMatching(capture.db, where, NOW);
    await matchingIdsAfter(capture.db, where, 4200, 500, NOW);
    const sql = capture.take();
    assert.match(sql, /JSON_VALUE\(\[fields\], '\$\.city'\)/);
    assert.match(sql, /AND \[Recipient\]\.\[id\] > 4200\) ORDER BY \[Recipient\]\.\[id\] ASC OFFSET 0 ROWS FETCH NEXT 500 ROWS ONLY/);
    matchSnapshot('audiences-count-and-page', sql);
  });

  it('denylists a batch in one conditional UPDATE', async () => {
    await applyBulkBatch(capture.db, 'denylist', [3, 5, 8], {}, audit);
    const sql = capture.take();
    assert.match(sql, /UPDATE \[recipients\] SET \[denylisted\]=@0,\[updated_at\]=@1 WHERE \[id\] IN \(3, 5, 8\) AND \[denylisted\] = @2/);
    matchSnapshot('audiences-bulk-denylist', sql);
  });
});
