import assert from 'node:assert/strict';
import type { Database } from '../../../server/db/connect.js';
import type { FailureReason } from '../../../server/shared/glossary.js';
import { createInstance, openTestDb, type TestInstance } from '../../helpers/instance.js';
import { DAY, minus, testEngine } from '../helpers.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const ago = (days: number) => minus(NOW, days * DAY);

/** Addresses "with errors" and the rule that releases each (test/bounce/quarantine-release.test.ts has the rules alone). */
const CASES: Array<{ case: string; reason?: FailureReason; created: number; lastError: number | null; success?: number; rule: string | null }> = [
  { case: 'last soft error 11 days ago', created: 40, lastError: 11, rule: 'soft_error_aged' },
  { case: 'last soft error 9 days ago', created: 40, lastError: 9, rule: null },
  { case: 'a success after the last error', created: 40, lastError: 2, success: 1, rule: 'success_after_error' },
  { case: 'a success before the last error', created: 40, lastError: 2, success: 3, rule: null },
  { case: 'a full mailbox failing for 31 days', reason: 'mailbox_full', created: 31, lastError: 1, rule: 'mailbox_full_aged' },
  { case: 'a full mailbox failing for 29 days', reason: 'mailbox_full', created: 29, lastError: 1, rule: null },
  { case: 'a full mailbox with its last error 12 days ago', reason: 'mailbox_full', created: 20, lastError: 12, rule: 'soft_error_aged' },
];

describe('quarantine release workflow', () => {
  let instance: TestInstance;
  let db: Database;
  before(async () => {
    instance = createInstance('[wfserver.cleanup]\nbatchSize = 10\n');
    db = await openTestDb(instance);
  });
  after(async () => {
    await db.close();
    instance.cleanup();
  });

  it('releases the addresses "with errors" its rules free, and never quarantined or denylisted ones', async () => {
    const rows = CASES.map((c, i) => ({
      address: `r${i}@example.com`,
      status: 'with_errors',
      reason: c.reason ?? 'unreachable',
      created: c.created,
      lastError: c.lastError,
      success: c.success,
    }));
    for (const status of ['quarantine', 'denylisted'])
      rows.push({ address: `${status}@example.com`, status, reason: 'user_unknown', created: 400, lastError: 300, success: 1 });
    for (let i = 0; i < 15; i++)
      rows.push({ address: `old${i}@example.com`, status: 'with_errors', reason: 'unreachable', created: 90, lastError: 60, success: undefined });
    await db.write(async (transaction) => {
      const q = rows.map((r) => ({
        address: r.address,
        domain: 'example.com',
        status: r.status,
        failureReason: r.reason,
        errorCount: 3,
        lastErrorAt: r.lastError === null ? null : ago(r.lastError),
        createdAt: ago(r.created),
        updatedAt: ago(r.created),
      }));
      await db.models.Quarantine.bulkCreate(q as never[], { transaction });
      for (const r of rows.filter((x) => x.success !== undefined)) {
        const recipient = await db.models.Recipient.create({ email: r.address, firstName: null, lastName: null }, { transaction });
        await db.models.BroadLog.create(
          { deliveryId: 1, recipientId: recipient.id, address: r.address, emailFormat: 'html', status: 'sent', sentAt: ago(r.success!) },
          { transaction },
        );
      }
    });
    const engine = testEngine(instance, db, { now: () => NOW });
    await engine.syncTechnical();
    const outcome = await engine.runNow('quarantineRelease');
    assert.equal(outcome.kind === 'ran' && outcome.status, 'succeeded');
    assert.deepEqual(outcome.kind === 'ran' && outcome.counts, {
      examined: CASES.length + 15,
      released: 4 + 15,
      success_after_error: 1,
      soft_error_aged: 2 + 15,
      mailbox_full_aged: 1,
    });
    const statusOf = async (address: string) => (await db.models.Quarantine.findOne({ where: { address } }))!;
    for (const [i, c] of CASES.entries()) {
      const q = await statusOf(`r${i}@example.com`);
      assert.equal(q.status, c.rule ? 'valid' : 'with_errors', c.case);
      if (c.rule) assert.deepEqual([q.errorCount, q.updatedAt.toISOString()], [0, NOW.toISOString()], 'released: counter reset, changed now');
    }
    assert.equal((await statusOf('quarantine@example.com')).status, 'quarantine');
    assert.equal((await statusOf('denylisted@example.com')).status, 'denylisted');
  });
});
