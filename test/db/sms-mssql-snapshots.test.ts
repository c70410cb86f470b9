import assert from 'node:assert/strict';
import {
  insertInbound,
  markReceipts,
  receiptCounts,
  recordSubmits,
  repliesToDelivery,
  setSegments,
  submittedMessages,
  unsubscribeNumber,
} from '../../server/db/repos/sms.js';
import { captureMssql, type MssqlCapture } from '../helpers/mssql-capture.js';
import { matchSnapshot } from '../helpers/snapshots.js';

/** The T-SQL of the SMS module's repos, pinned in snapshots. */
describe('SQL Server SQL of the SMS repos (snapshots)', () => {
  let capture: MssqlCapture;
  const now = new Date('2026-03-02T10:00:00.000Z');
  before(() => (capture = captureMssql()));
  after(() => capture.restore());

  it('renders the outcome writes: message ids of the segments, segments per message, receipts by status', async () => {
    await capture.db.write(async (t) => {
      await recordSubmits(capture.db, [{ connector: 'op', messageId: "a'1", broadLogId: 7, deliveryId: 3, part: 1 }], now, t);
      await setSegments(
        capture.db,
        new Map([
          [7, 1],
          [8, 2],
          [9, 1],
        ]),
        t,
      );
      await markReceipts(
        capture.db,
        [
          { broadLogId: 7, status: 'delivered' },
          { broadLogId: 8, status: 'undeliverable' },
        ],
        now,
        t,
      );
    });
    const sql = capture.take();
    assert.match(sql, /N'a''1'/, 'message ids are bound as Unicode literals with quotes doubled');
    matchSnapshot('sms-outcomes', sql);
  });

  it('renders the receipt lookup, the inbound rows, the STOP unsubscription and the receipt counts', async () => {
    await submittedMessages(capture.db, 'op', ['1a', '1b']);
    await capture.db.write(async (t) => {
      await insertInbound(
        capture.db,
        [
          {
            connector: 'op',
            source: '+33612345678',
            destination: '36111',
            text: 'STOP',
            keyword: 'STOP',
            action: 'unsubscribed',
            recipients: 1,
            receivedAt: now,
          },
        ],
        t,
      );
      await unsubscribeNumber(capture.db, '+33612345678', null, now, t);
    });
    await receiptCounts(capture.db, 3);
    const sql = capture.take();
    assert.match(sql, /\[channel\] = N'sms'/);
    matchSnapshot('sms-reads', sql);
  });

  it('renders the replies read of a delivery report (the window of replies, by the action and received_at index)', async () => {
    capture.take();
    await repliesToDelivery(capture.db, 3, new Date('2026-01-02T00:00:00.000Z'), new Date('2026-01-09T00:00:00.000Z'));
    const sql = capture.take();
    assert.match(sql, /\[action\] IN \(N'unsubscribed', N'review', N'reviewed'\)/);
    matchSnapshot('sms-replies-window', sql);
  });
});
