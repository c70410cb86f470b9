import assert from 'node:assert/strict';
import type { Condition } from '../../server/db/filters/recipient-condition.js';
import { changeDeliveryState } from '../../server/db/repos/delivery-state.js';
import { start } from '../../server/delivery/lifecycle.js';
import { clearAnalysis, writeAnalysisBatch, type PendingMessage } from '../../server/db/repos/delivery-logs.js';
import { blockedAddresses, targetPage } from '../../server/db/repos/delivery-target.js';
import { captureMssql, type MssqlCapture } from '../helpers/mssql-capture.js';
import { pendingMessageZones } from '../../server/db/repos/message-send-times.js';
import { matchSnapshot } from '../helpers/snapshots.js';

const NOW = new Date('2026-03-01T10:00:00.000Z');

/** The T-SQL of the delivery analysis hot paths, pinned in snapshots (no SQL Server on the build machine). */
describe('SQL Server SQL of deliveries (snapshots)', () => {
  let capture: MssqlCapture;
  before(() => (capture = captureMssql()));
  after(() => capture.restore());

  it('renders the local send times: pending messages with their zone facts, and those missed during a pause', async () => {
    await pendingMessageZones(capture.db, 7, 0, 1000);
    await pendingMessageZones(capture.db, 7, 1000, 1000, { from: NOW, until: new Date('2026-03-01T12:45:00.000Z'), now: new Date('2026-03-01T13:00:00.000Z') });
    const sql = capture.take();
    assert.match(
      sql,
      /\[attempts\] = 0 AND \[BroadLog\]\.\[delivery_id\] = 7 AND \(\[BroadLog\]\.\[next_attempt_at\] >= N'2026-03-01 10:00:00\.000 \+00:00' AND \[BroadLog\]\.\[next_attempt_at\] < N'2026-03-01 12:45:00\.000 \+00:00'\)/,
    );
    matchSnapshot('delivery-local-send-times', sql);
  });

  it('renders a filtered keyset page of every recipient (conditions bound, custom fields through JSON_VALUE)', async () => {
    const filter: Condition = {
      all: [
        { field: 'fields.city', op: 'in', value: ['Paris', "O'Hara"] },
        { not: { field: 'fields.plan', op: 'eq', value: 'gold' } },
        { any: [{ field: 'createdAt', op: 'gte', value: '2026-01-01T00:00:00Z' }, { field: 'fields.vip', op: 'notEmpty' }, { inList: 'vip' }] },
      ],
    };
    await targetPage(capture.db, { kind: 'all', filter }, 500, 5000, NOW);
    const sql = capture.take();
    assert.match(sql, /NOT \(\(JSON_VALUE\(\[fields\], '\$\.plan'\) = N'gold'\)\)/, 'a NOT on a custom field is kept');
    assert.match(sql, /JSON_VALUE\(\[fields\], '\$\.city'\) IN \(N'Paris', N'O''Hara'\)/);
    assert.match(sql, /OFFSET 0 ROWS FETCH NEXT 5000 ROWS ONLY/, 'keyset, never a deep OFFSET');
    matchSnapshot('delivery-target-all', sql);
  });

  it('renders the service and list pages (membership keyset, then the recipients of the page)', async () => {
    await targetPage(capture.db, { kind: 'service', serviceId: 3 }, 0, 1000, NOW);
    await targetPage(capture.db, { kind: 'list', listId: 4 }, 0, 1000, NOW);
    matchSnapshot('delivery-target-memberships', capture.take());
  });

  it('renders the quarantine lookup of a page', async () => {
    await blockedAddresses(capture.db, ['ann@example.com', "o'hara@example.com"]);
    matchSnapshot('delivery-quarantine-lookup', capture.take());
  });

  it('writes broad logs and exclusion logs with at most 1000 rows per INSERT', async () => {
    const messages: PendingMessage[] = Array.from({ length: 2500 }, (_, i) => ({ recipientId: i + 1, address: `r${i}@example.com`, emailFormat: 'html' }));
    await writeAnalysisBatch(capture.db, 9, messages, [{ recipientId: 1, address: null, reason: 'address_not_specified' }], NOW);
    const inserts = capture
      .take()
      .split('\n\n')
      .filter((s) => s.startsWith('INSERT INTO [broad_logs]'));
    assert.deepEqual(
      inserts.map((s) => s.split("N'pending'").length - 1),
      [1000, 1000, 500],
    );
    await writeAnalysisBatch(
      capture.db,
      9,
      messages.slice(0, 2),
      [{ recipientId: 3, address: 'x@', reason: 'invalid_address', detail: 'email domain is not a valid host name' }],
      NOW,
    );
    matchSnapshot('delivery-analysis-batch', capture.take());
  });

  it('renders the guarded state change and the batched removal of a previous analysis', async () => {
    const facts = { now: NOW, scheduledAt: null, validityEnd: null, toDeliver: 1, blockingErrors: 0 };
    await changeDeliveryState(capture.db, { id: 9, from: 'ready', step: (state) => start({ ...facts, state }), now: NOW, set: { startedAt: NOW } });
    await clearAnalysis(capture.db, 9, 5000);
    const sql = capture.take();
    assert.match(sql, /WHERE \[id\] = @\d+ AND \[state\] = @\d+/);
    matchSnapshot('delivery-state-and-clear', sql);
  });
});
