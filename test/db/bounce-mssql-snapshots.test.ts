import assert from 'node:assert/strict';
import { recordBounceTexts } from '../../server/db/repos/bounce-texts.js';
import { broadLogsByIds, markBroadLogFailures } from '../../server/db/repos/broad-log-failures.js';
import { addNewQuarantines } from '../../server/db/repos/delivery-counters.js';
import { keepInboundMessages } from '../../server/db/repos/inbound-messages.js';
import { processedMessages, recordedIn, recordMailboxMessages } from '../../server/db/repos/inmail-mailboxes.js';
import { quarantinesOf, saveQuarantines } from '../../server/db/repos/quarantines.js';
import { deliveryServiceIds, unsubscribe } from '../../server/db/repos/subscriptions.js';
import { captureMssql, type MssqlCapture } from '../helpers/mssql-capture.js';
import { matchSnapshot } from '../helpers/snapshots.js';

/** The T-SQL of the bounce repos (shared by the MTA and inMail), pinned in snapshots. */
describe('SQL Server SQL of the bounce repos (snapshots)', () => {
  let capture: MssqlCapture;
  const now = new Date('2026-03-02T10:00:00.000Z');
  before(() => (capture = captureMssql()));
  after(() => capture.restore());

  it('renders the bounce-text upsert (lookup by hash, bulk insert)', async () => {
    const item = {
      hash: 'a'.repeat(64),
      text: "550 5.1.1 *... User 'unknown'",
      firstText: '550 5.1.1 <ann@example.com>... User unknown',
      failureType: 'hard',
      failureReason: 'user_unknown',
      rule: 'user_unknown',
      status: 'keep',
    } as const;
    await capture.db.write((t) => recordBounceTexts(capture.db, [item, item], now, t));
    const sql = capture.take();
    assert.match(sql, /WHERE \[BounceText\]\.\[text_hash\] IN \(N'a{64}'\)/);
    matchSnapshot('bounce-texts-record', sql);
  });

  it('renders the broad-log failure update as one CASE statement per chunk', async () => {
    await capture.db.write((t) =>
      markBroadLogFailures(
        capture.db,
        [
          { id: 1, status: 'failed', failureType: 'hard', failureReason: 'user_unknown', failureText: "550 it's gone", bounceTextId: 7 },
          { id: 2, failureType: 'ignored', failureReason: 'error_ignored', failureText: 'Out of office', bounceTextId: null },
        ],
        now,
        t,
      ),
    );
    const sql = capture.take();
    assert.match(sql, /UPDATE \[broad_logs\] SET \[status\] = CASE \[id\] WHEN 1 THEN N'failed' ELSE \[status\] END/);
    assert.match(sql, /N'550 it''s gone'/, 'quotes are doubled and text is Unicode');
    matchSnapshot('broad-log-failures-mark', sql);
  });

  it('renders the broad-log and delivery lookups', async () => {
    await broadLogsByIds(capture.db, [3, 4, 3]);
    await deliveryServiceIds(capture.db, [5]);
    matchSnapshot('broad-log-targets', capture.take());
  });

  it('renders the quarantine read and write', async () => {
    await quarantinesOf(capture.db, ['ann@example.com']);
    const record = {
      address: 'ann@example.com',
      status: 'quarantine',
      errorCount: 1,
      lastErrorAt: now,
      failureType: 'hard',
      failureReason: 'user_unknown',
      text: '550 5.1.1',
      deliveryId: 5,
    } as const;
    await capture.db.write((t) => saveQuarantines(capture.db, [record, { ...record, address: 'bob@example.org' }], new Set(['ann@example.com']), now, t));
    matchSnapshot('quarantines-save', capture.take());
  });

  it("renders the delivery's new-quarantine counter as an in-place increment", async () => {
    await capture.db.write((t) =>
      addNewQuarantines(
        capture.db,
        new Map([
          [5, 2],
          [6, 0],
        ]),
        t,
      ),
    );
    const sql = capture.take();
    assert.match(sql, /UPDATE \[deliveries\] SET \[new_quarantine\]=\[new_quarantine\]\+ 2/);
    assert.doesNotMatch(sql, /WHERE \[id\] = 6/, 'nothing is written for a delivery without new quarantines');
    matchSnapshot('delivery-new-quarantines', sql);
  });

  it('renders unsubscribes (from a service, from all email) and kept messages', async () => {
    await capture.db.write((t) => unsubscribe(capture.db, { recipientId: 9, serviceId: 2, origin: 'mailto' }, now, t));
    await capture.db.write((t) => unsubscribe(capture.db, { recipientId: 9, serviceId: 0, origin: 'mailto' }, now, t));
    await capture.db.write((t) =>
      keepInboundMessages(
        capture.db,
        [
          {
            receivedAt: now,
            mailFrom: null,
            rcptTo: 'bounce@bounce.example.com',
            subject: 'x\u0000y',
            messageId: null,
            kind: 'dsn',
            status: 'unmatched',
            reason: 'no signed VERP address',
            spoolFile: 'kept/1.eml',
            size: 10,
          },
        ],
        now,
        t,
      ),
    );
    const sql = capture.take();
    assert.doesNotMatch(sql, /\u0000/, 'control characters never reach SQL');
    matchSnapshot('bounce-unsubscribe-and-keep', sql);
  });

  it('renders the bounce mailbox bookkeeping: already-recorded lookup, records with counters, the pending list', async () => {
    const refs = [
      { mailbox: 'bounces', key: '1700000000:17' },
      { mailbox: 'bounces', key: "1700000000:18'" },
      { mailbox: 'fbl', key: 'UID0001' },
    ];
    await capture.db.write((t) => recordedIn(capture.db, refs, t));
    await capture.db.write((t) =>
      recordMailboxMessages(
        capture.db,
        refs.map((r, i) => ({ ...r, outcome: i === 1 ? 'unrecognised' : 'processed', spoolId: `s${i}` })),
        now,
        t,
      ),
    );
    await processedMessages(capture.db, 'bounces');
    const sql = capture.take();
    assert.match(sql, /UPDATE \[inmail_mailboxes\] SET \[messages\]=\[messages\]\+ 2,\[unrecognised\]=\[unrecognised\]\+ 1/);
    assert.match(sql, /N'1700000000:18'''/, 'keys are bound, quotes doubled');
    matchSnapshot('inmail-mailboxes', sql);
  });
});
