import assert from 'node:assert/strict';
import { messageCounts, saveDeliveryTracking, staleDeliveryIds, trackingLogPage } from '../../server/db/repos/tracking-indicators.js';
import {
  broadLogRefs,
  existingHitIds,
  hitsOfBroadLogs,
  insertTrackingLogs,
  linkCounts,
  saveCheckpoint,
  setBotFlags,
  type NewTrackingLog,
} from '../../server/db/repos/tracking-logs.js';
import { deliveryUrlDefinition, liveTrackedDeliveryIds } from '../../server/db/repos/tracking-urls.js';
import { captureMssql, type MssqlCapture } from '../helpers/mssql-capture.js';
import { matchSnapshot } from '../helpers/snapshots.js';

/** The T-SQL of tracking ingestion, consolidation and URL publishing, pinned in snapshots. */
describe('SQL Server SQL of tracking (snapshots)', () => {
  let capture: MssqlCapture;
  before(() => (capture = captureMssql()));
  after(() => capture.restore());
  const now = new Date('2026-03-02T12:00:00.000Z');

  it('renders the ingest transaction (known hit ids, messages, earlier hits, insert, bot flags, checkpoint)', async () => {
    const row: NewTrackingLog = {
      hitId: "h'1",
      deliveryId: 7,
      broadLogId: 1001,
      recipientId: 5,
      urlId: 71,
      urlType: 'click',
      loggedAt: now,
      sourceId: 'f:abc',
      ip: '192.0.2.1',
      userAgent: "Mozilla/5.0 ('quoted')",
      bot: null,
      server: 'http://127.0.0.1:8081',
    };
    await capture.db.write(async (transaction) => {
      await existingHitIds(capture.db, ["h'1", 'h2'], transaction);
      await broadLogRefs(capture.db, [1001, 1002], transaction);
      await hitsOfBroadLogs(capture.db, [1001], transaction);
      await linkCounts(capture.db, [7], transaction);
      await insertTrackingLogs(capture.db, [row], now, transaction);
      await setBotFlags(capture.db, [{ id: 3, bot: 'link_burst' }], transaction);
      await saveCheckpoint(capture.db, 'http://127.0.0.1:8081', '0123456789abcdef.1.250', now, transaction);
    });
    const sql = capture.take();
    assert.match(sql, /N'Mozilla\/5\.0 \(''quoted''\)'/, 'user agents are escaped as Unicode literals');
    assert.match(sql, /MERGE INTO \[tracking_checkpoints\]/);
    matchSnapshot('tracking-ingest', sql);
  });

  it('renders the consolidation reads and writes (keyset page, message counts, slots, indicators upsert)', async () => {
    await trackingLogPage(capture.db, 7, { loggedAt: now, id: 42 }, 5000);
    await messageCounts(capture.db, 7);
    await staleDeliveryIds(capture.db, now);
    await saveDeliveryTracking(
      capture.db,
      7,
      {
        recipientOpens: 2,
        totalOpens: 3,
        estimatedOpens: 2,
        recipientClicks: 1,
        personClicks: 1,
        totalClicks: 1,
        estimatedForwards: 0,
        optOuts: 0,
        mirrorViews: 0,
        humanOpens: 2,
        humanClicks: 1,
        rawReactivity: 0.5,
        estimatedReactivity: 0.5,
        clickThrough: 0.25,
      },
      [{ urlId: 71, slotStart: now, clicks: 1, humanClicks: 1 }],
      now,
    );
    const sql = capture.take();
    assert.match(sql, /ORDER BY \[loggedAt\] ASC, \[TrackingLog\]\.\[id\] ASC OFFSET 0 ROWS FETCH NEXT 5000 ROWS ONLY/);
    assert.match(sql, /MERGE INTO \[delivery_indicators\]/);
    matchSnapshot('tracking-consolidation', sql);
  });

  it('renders the URL definition reads of the push', async () => {
    await deliveryUrlDefinition(capture.db, 7);
    await liveTrackedDeliveryIds(capture.db, now);
    matchSnapshot('tracking-publish', capture.take());
  });
});
