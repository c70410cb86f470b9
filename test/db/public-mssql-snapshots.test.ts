import assert from 'node:assert/strict';
import { storeEvents, eventContexts } from '../../server/db/repos/events.js';
import { quarantinePage } from '../../server/db/repos/quarantine-list.js';
import { queueCallbacks, readSource } from '../../server/db/repos/webhooks.js';
import { captureMssql, type MssqlCapture } from '../helpers/mssql-capture.js';
import { matchSnapshot } from '../helpers/snapshots.js';

/** The T-SQL of the public side's hot statements, pinned (no SQL Server runs on the build machine). */
describe('SQL Server SQL of events, quarantine pages and webhooks (snapshots)', () => {
  let capture: MssqlCapture;
  const now = new Date('2026-03-04T05:06:07.000Z');
  before(() => (capture = captureMssql()));
  after(() => capture.restore());

  it('renders the event batch: idempotency lookup, then one multi-row insert with OUTPUT', async () => {
    const event = (i: number) => ({
      type: 'order',
      email: `a${i}@example.com`,
      ctx: { n: i },
      emailFormat: 'html' as const,
      origin: 'api',
      apiKeyId: 3,
      idempotencyScope: `3:k${i}`,
      requestHash: 'h',
      route: null,
    });
    await storeEvents(capture.db, [event(1), event(2)], now, ['in_progress']);
    const sql = capture.take();
    assert.match(sql, /\[idempotency_scope\] IN \(N'3:k1', N'3:k2'\)/);
    assert.match(sql, /INSERT INTO \[events\] .*OUTPUT INSERTED\.\[id\]/s);
    matchSnapshot('public-event-batch', sql);
  });

  it('renders the reads of the MTA, the REST API and the webhook sources', async () => {
    await eventContexts(capture.db, [1, 2, 3]);
    await quarantinePage(capture.db, { after: 10, limit: 50 });
    for (const source of ['clicks', 'quarantines', 'unsubscribes'] as const)
      await readSource(capture.db, source, source === 'quarantines' ? `${now.toISOString()}|7` : '42', 100);
    await queueCallbacks(capture.db, 'clicks', '43', [], now);
    const sql = capture.take();
    assert.doesNotMatch(sql, /OFFSET [1-9]/, 'keyset pages, no OFFSET scan');
    matchSnapshot('public-reads', sql);
  });
});
