import assert from 'node:assert/strict';
import { markComplained } from '../../server/db/repos/broad-log-failures.js';
import { addComplaints, addDeliveryCounts } from '../../server/db/repos/delivery-counters.js';
import { settle } from '../../server/db/repos/mta-queue.js';
import { activeBlocks, recentUnblocks, rescheduleDomain, unblockDomain } from '../../server/db/repos/mta-throttle.js';
import { releaseDelivered } from '../../server/db/repos/quarantines.js';
import { addSmtpStats, emptyCounters, recentErrorRates } from '../../server/db/repos/smtp-stats.js';
import { captureMssql, type MssqlCapture } from '../helpers/mssql-capture.js';
import { matchSnapshot } from '../helpers/snapshots.js';

/** The T-SQL of the MTA's outcome commit, its counters and its domain blocks, pinned in snapshots. */
describe('SQL Server SQL of the MTA outcomes and domain blocks (snapshots)', () => {
  let capture: MssqlCapture;
  const now = new Date('2026-03-02T10:00:00.000Z');
  before(() => (capture = captureMssql()));
  /** Sequelize stamps some updates with the real clock: those times are not part of the snapshot. */
  const take = () => capture.take().replace(/(["'])20\d\d-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \+00:00\1/g, (t) => (t.includes('2026-03-02 1') ? t : '<clock>'));
  after(() => capture.restore());

  it('renders the settlement of sent messages still leased to the MTA (final reply per message, earlier error cleared) and the release of their addresses', async () => {
    await capture.db.write(async (t) => {
      await settle(
        capture.db,
        'mta-a',
        [
          { id: 1, deliveryId: 9, status: 'sent', response: "250 2.0.0 Ok: queued as 4Xy'Z", address: 'ann@example.com' },
          { id: 2, deliveryId: 9, status: 'sent', response: '250 OK', address: 'bob@example.com' },
          {
            id: 3,
            deliveryId: 9,
            status: 'deferred',
            nextAttemptAt: now,
            type: 'soft',
            reason: 'unreachable',
            text: 'connect ECONNREFUSED',
            countAttempt: false,
          },
        ],
        now,
        t,
      );
      await releaseDelivered(capture.db, ['Ann@example.com', 'bob@example.com'], ['with_errors'], now, t);
    });
    const sql = take();
    assert.match(sql, /\[smtp_response\] = CASE \[id\] WHEN 1 THEN N'250 2\.0\.0 Ok: queued as 4Xy''Z' WHEN 2 THEN N'250 OK' ELSE \[smtp_response\] END/);
    assert.match(sql, /\[failure_type\] = NULL, \[failure_reason\] = NULL, \[failure_text\] = NULL, \[bounce_text_id\] = NULL/);
    matchSnapshot('mta-settle-sent', sql);
  });

  it('renders the SMTP counters added in the outcome commit', async () => {
    const counters = { ...emptyCounters(), messages: 3, sent: 2, softErrors: 1, firstAttempts: 3, firstAttemptErrors: 1, lastResponse: '451 4.7.1 later' };
    await capture.db.write((t) => addSmtpStats(capture.db, new Date('2026-03-02T10:00:00Z'), new Map([['example.com', counters]]), now, t));
    await recentErrorRates(capture.db, new Date('2026-03-02T09:00:00Z'));
    const sql = take();
    assert.match(sql, /\[first_attempts\]=first_attempts \+ 3/);
    matchSnapshot('mta-smtp-stats', sql);
  });

  it('renders the domain blocks: those in force, an unblock that makes the pushed-back messages due again', async () => {
    await activeBlocks(capture.db, now);
    await recentUnblocks(capture.db, new Date('2026-03-02T09:00:00Z'));
    await unblockDomain(capture.db, 'ex_am%ple.com', now);
    await rescheduleDomain(capture.db, 'ex_am%ple.com', now);
    const sql = take();
    assert.match(sql, /\[address\] LIKE N'%@ex\\_am\\%ple\.com' ESCAPE '\\'/, 'wildcards in the domain are literal');
    matchSnapshot('mta-domain-blocks', sql);
  });

  it('renders the counters an asynchronous bounce or complaint moves in its own transaction', async () => {
    await capture.db.write(async (t) => {
      await markComplained(capture.db, [5, 6], now, t);
      await addComplaints(capture.db, new Map([[9, 2]]), t);
      await addDeliveryCounts(capture.db, new Map([[9, { processed: 0, sent: -1, failed: 1 }]]), t);
    });
    matchSnapshot('delivery-async-counters', take());
  });
});
