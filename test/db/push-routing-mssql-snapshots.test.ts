import assert from 'node:assert/strict';
import { activeSubscriptionsOf, expireSubscriptions, saveSubscription, subscriptionsByIds } from '../../server/db/repos/push.js';
import {
  completeExtraction,
  extractionLines,
  extractionsIn,
  journalReturn,
  markReturned,
  markUploaded,
  openExtraction,
  routedMessages,
  routingCost,
} from '../../server/db/repos/routing.js';
import { captureMssql, type MssqlCapture } from '../helpers/mssql-capture.js';
import { matchSnapshot } from '../helpers/snapshots.js';

/** The T-SQL of the push module's and third-party routing's repos, pinned in snapshots. */
describe('SQL Server SQL of the push and routing repos (snapshots)', () => {
  let capture: MssqlCapture;
  const now = new Date('2026-03-02T10:00:00.000Z');
  before(() => (capture = captureMssql()));
  after(() => capture.restore());

  it('renders the push subscription writes and reads: save (recipient check), active ones per recipient, by id, expiry', async () => {
    await saveSubscription(capture.db, 7, { endpoint: "https://push.example.net/o'k", p256dh: 'B'.repeat(87), auth: 'A'.repeat(22) }, now);
    await activeSubscriptionsOf(capture.db, [7, 8]);
    await subscriptionsByIds(capture.db, [3, 4]);
    await capture.db.write((t) => expireSubscriptions(capture.db, [{ id: 3, text: '410 Gone' }], now, t));
    const sql = capture.take();
    assert.match(sql, /\[push_subscriptions\]/);
    matchSnapshot('push-subscriptions', sql);
  });

  it('renders the extraction steps: open (messages named), lines, complete, upload, the return lookup and writes, the cost', async () => {
    await extractionsIn(capture.db, 'printer', 'preparing');
    await openExtraction(capture.db, {
      deliveryId: 3,
      channel: 'direct_mail',
      provider: 'printer',
      limit: 500,
      messageCost: 0.85,
      deliveryCost: 25,
      currency: 'EUR',
      now,
    });
    await extractionLines(capture.db, 9);
    await completeExtraction(
      capture.db,
      { id: 9, deliveryId: 3, channel: 'direct_mail', provider: 'printer', fileName: null, status: 'preparing', messages: 2 },
      'f.csv',
      now,
    );
    await markUploaded(capture.db, 9, now);
    await routedMessages(capture.db, [11, 12]);
    await capture.db.write(async (t) => {
      await markReturned(capture.db, [{ broadLogId: 11, status: 'bad_address', at: now }], t);
      await journalReturn(capture.db, { provider: 'printer', fileName: 'r.csv', rowsRead: 2, applied: 1, unchanged: 0, rejected: 1, importedAt: now }, t);
    });
    await routingCost(capture.db, 3);
    const sql = capture.take();
    assert.match(sql, /\[routing_extractions\]/);
    matchSnapshot('routing', sql);
  });
});
