import assert from 'node:assert/strict';
import { deliveriesIn, deliveryPage, proofsOf } from '../../server/db/repos/delivery-lists.js';
import { failuresByReason, pendingByDue } from '../../server/db/repos/broad-log-counts.js';
import { failureStatsOf, linkTotals, trackingSlots } from '../../server/db/repos/delivery-reports.js';
import { bounceTextPage, qualifyBounceText } from '../../server/db/repos/bounce-texts.js';
import { inboundPage } from '../../server/db/repos/inbound-messages.js';
import { latestRunLines, runPage } from '../../server/db/repos/workflow-runs.js';
import {
  domainStats,
  quarantineCounts,
  quarantineDomains,
  recentQuarantines,
  slotTotals,
  subscriptionSlots,
} from '../../server/db/repos/operations-reports.js';
import {
  aggregatedFailureCounts,
  failedMessageCounts,
  failureBreakdown,
  replaceFailureStats,
  replaceSubscriptionSlots,
  subscriptionEventsSince,
  subscriptionSlotsFrom,
} from '../../server/db/repos/report-aggregates.js';
import { captureMssql, type MssqlCapture } from '../helpers/mssql-capture.js';
import { matchSnapshot } from '../helpers/snapshots.js';

/** The T-SQL of the console's delivery pages, reports, monitoring and report aggregates, pinned in snapshots. */
describe('SQL Server SQL of the console reports (snapshots)', () => {
  let capture: MssqlCapture;
  before(() => (capture = captureMssql()));
  after(() => capture.restore());
  const now = new Date('2026-03-02T12:00:00.000Z');

  it('renders the report aggregates: failed counts, failures by domain (SUBSTRING/CHARINDEX), subscription quarter hours (DATEADD/DATEDIFF)', async () => {
    await failedMessageCounts(capture.db, [7, 8]);
    await aggregatedFailureCounts(capture.db, [7, 8]);
    await failureBreakdown(capture.db, 7);
    await replaceFailureStats(capture.db, 7, [{ domain: 'example.com', failureType: 'hard', failureReason: 'user_unknown', messages: 3 }], now);
    await subscriptionSlotsFrom(capture.db);
    await subscriptionEventsSince(capture.db, '2026-03-01');
    await replaceSubscriptionSlots(
      capture.db,
      '2026-03-01',
      [{ serviceId: 1, slot: '2026-03-01 23:45', subscribed: 2, confirmed: 1, unsubscribed: 0, expired: 0 }],
      now,
    );
    const sql = capture.take();
    assert.match(sql, /LOWER\(SUBSTRING\(\[address\], CHARINDEX\('@', \[address\]\) \+ 1, 320\)\)/);
    assert.match(
      sql,
      /GROUP BY \[service_id\], CONVERT\(char\(16\), DATEADD\(minute, \(DATEPART\(minute, \[at\]\) \/ 15\) \* 15, DATEADD\(hour, DATEDIFF\(hour, 0, \[at\]\), 0\)\), 120\), \[action\]/,
    );
    matchSnapshot('report-aggregates', sql);
  });

  it('renders the delivery pages: keyset list, proofs, live failures by reason, queue depth', async () => {
    await deliveryPage(capture.db, { templates: false, states: ['finished'], before: 500, limit: 50 });
    await proofsOf(capture.db, "o'brien");
    await failuresByReason(capture.db, 7);
    await pendingByDue(capture.db, [7], now);
    await deliveriesIn(capture.db, ['in_progress', 'paused'], 50);
    const sql = capture.take();
    assert.doesNotMatch(sql, /OFFSET [1-9]/, 'no OFFSET scan');
    assert.match(sql, /LIKE N'o''brien-proof-%'/);
    matchSnapshot('console-deliveries', sql);
  });

  it('renders the report reads: tracking slots, link totals, failure aggregate, domains, throughput, quarantines, subscriptions', async () => {
    await trackingSlots(capture.db, 7);
    await linkTotals(capture.db, 7);
    await failureStatsOf(capture.db, 7);
    await domainStats(capture.db, new Date('2026-02-23T12:00:00.000Z'), now, 200);
    await slotTotals(capture.db, new Date('2026-03-01T12:00:00.000Z'), now);
    await quarantineCounts(capture.db);
    await quarantineDomains(capture.db, 20);
    await recentQuarantines(capture.db, 20);
    await subscriptionSlots(capture.db, 1, '2026-01-01 15:00');
    matchSnapshot('console-reports', capture.take());
  });

  it('renders the monitoring reads and the bounce text qualification', async () => {
    await bounceTextPage(capture.db, 'to_qualify', { occurrences: 10, id: 99 }, 50);
    await inboundPage(capture.db, 'unmatched', { receivedAt: now, id: 42 }, 50);
    await runPage(capture.db, 3, { startedAt: now, id: 17 }, 50);
    await latestRunLines(capture.db, 10, 'failed');
    await qualifyBounceText(
      capture.db,
      5,
      { status: 'keep', failureType: 'hard', failureReason: 'user_unknown' },
      { at: now, operatorId: 1, operatorLogin: 'root', action: 'bounce_text_qualified' },
    );
    matchSnapshot('console-monitoring', capture.take());
  });
});
