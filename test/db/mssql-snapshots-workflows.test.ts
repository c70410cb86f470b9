import assert from 'node:assert/strict';
import { Op } from 'sequelize';
import { cancelAbTests, findAbTest, variantCounts } from '../../server/db/repos/ab-tests.js';
import { purgeByIds, purgeLimited } from '../../server/db/repos/batched.js';
import { broadLogStatusCounts } from '../../server/db/repos/delivery-counters.js';
import { cancelPendingMessages } from '../../server/db/repos/delivery-schedule.js';
import { lastSuccessfulSends } from '../../server/db/repos/quarantine-release.js';
import { statRowsBetween } from '../../server/db/repos/smtp-stats.js';
import { expireBatch } from '../../server/db/repos/subscription-expiry.js';
import { queryRecipientIds, reactionsTo } from '../../server/db/repos/workflow-population.js';
import { consumeSlot, openRun, takeLease } from '../../server/db/repos/workflows.js';
import { captureMssql, type MssqlCapture } from '../helpers/mssql-capture.js';
import { matchSnapshot } from '../helpers/snapshots.js';

const NOW = new Date('2026-06-01T04:00:00.000Z');
const PURGE = { batchSize: 500, pauseMs: 0 };

/** The T-SQL of the workflow server's lease, purges and population queries, pinned in snapshots. */
describe('SQL Server SQL of the workflow server (snapshots)', () => {
  let capture: MssqlCapture;
  before(() => (capture = captureMssql()));
  after(() => capture.restore());

  it('claims a workflow slot and its lease in one conditional UPDATE', async () => {
    await takeLease(capture.db, { workflowId: 7, owner: 'host:1:abc', now: NOW, leaseMs: 120_000, slot: NOW, requireActive: true });
    await consumeSlot(capture.db, 7, NOW);
    const sql = capture.take();
    assert.match(sql, /UPDATE \[workflows\] SET \[lease_owner\]=@0,\[lease_expires_at\]=@1,\[last_run_at\]=@2 WHERE/);
    matchSnapshot('workflow-claim', sql);
  });

  it('journals a run, closing runs abandoned by another owner', async () => {
    // The capture returns no inserted row, so the create fails after its INSERT was recorded.
    await openRun(capture.db, { workflowId: 7, trigger: 'schedule', slot: NOW, owner: 'host:1:abc', startedAt: NOW }).catch(() => undefined);
    matchSnapshot('workflow-open-run', capture.take());
  });

  it('purges in batches: DELETE TOP(n) where an index serves, a keyset read where none does', async () => {
    await purgeLimited(capture.db, capture.db.models.TrackingLog, { loggedAt: { [Op.lt]: NOW } }, PURGE);
    await purgeByIds(capture.db, capture.db.models.BroadLog, { updatedAt: { [Op.lt]: NOW } }, PURGE);
    const sql = capture.take();
    assert.match(sql, /DELETE TOP\(500\) FROM \[tracking_logs\]/);
    assert.match(
      sql,
      /SELECT \[id\] FROM \[broad_logs\] AS \[BroadLog\] WHERE \(\[BroadLog\]\.\[updated_at\] < .* AND \[BroadLog\]\.\[id\] > 0\) ORDER BY \[BroadLog\]\.\[id\] ASC OFFSET 0 ROWS FETCH NEXT 500 ROWS ONLY/,
    );
    matchSnapshot('workflow-purges', sql);
  });

  it('cancels pending messages in batches (UPDATE TOP(n)), leaving those an MTA holds', async () => {
    await cancelPendingMessages(capture.db, 42, NOW, PURGE);
    const sql = capture.take();
    assert.match(sql, /UPDATE TOP\(500\) \[broad_logs\] SET \[status\]=@0/);
    matchSnapshot('workflow-cancel-pending', sql);
  });

  it('selects a population by conditions: LIKE wildcards (with [) escaped, memberships as subqueries', async () => {
    await queryRecipientIds(capture.db, {
      now: NOW,
      notTargetedBy: { workflowId: 3, activity: 'newSubscribers' },
      where: {
        all: [
          { field: 'email', op: 'contains', value: "50%_[x]'" },
          { subscribed: "news'", since: '-7d' },
          { not: { inList: 'blocked' } },
          { field: 'domain', op: 'in', value: ['gmail.com'] },
        ],
      },
    });
    const sql = capture.take();
    assert.match(sql, /LIKE N'%50\\%\\_\\\[x\]''%' ESCAPE '\\'/, 'wildcards escaped, quote doubled');
    assert.match(sql, /v\.name = N'news'''/);
    matchSnapshot('workflow-population-query', sql);
  });

  it('reads reactions, counters, last sends, expiring subscriptions and SMTP slots', async () => {
    await reactionsTo(capture.db, 42, [1, 2, 3], true);
    await broadLogStatusCounts(capture.db, [42, 43]);
    await lastSuccessfulSends(capture.db, ['a@example.com']);
    await expireBatch(capture.db, { expiresAt: NOW }, NOW, 500);
    await statRowsBetween(capture.db, new Date('2026-05-25T00:00:00Z'), new Date('2026-05-31T00:00:00Z'));
    const sql = capture.take();
    assert.doesNotMatch(sql, /GROUP BY [^;]*\[[a-z]+[A-Z]/, 'GROUP BY names columns: SQL Server refuses select aliases there');
    matchSnapshot('workflow-reads', sql);
  });

  it("reads an A/B test's variant counts (unique openers and clickers as COUNT DISTINCT) and the test of a wave", async () => {
    await variantCounts(capture.db, 42, true);
    await findAbTest(capture.db, 7, 'pick', 't12');
    await cancelAbTests(capture.db, 7, NOW);
    const sql = capture.take();
    assert.match(sql, /count\(DISTINCT\(\[broad_log_id\]\)\)/);
    matchSnapshot('workflow-ab-tests', sql);
  });
});
