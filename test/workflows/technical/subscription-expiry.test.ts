import assert from 'node:assert/strict';
import type { Database } from '../../../server/db/connect.js';
import { createInstance, openTestDb, type TestInstance } from '../../helpers/instance.js';
import { DAY, MINUTE, minus, plus, testEngine } from '../helpers.js';

const NOW = new Date('2026-06-01T00:00:00Z');

describe('subscription expiry workflow', () => {
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

  it("ends subscriptions past their own expiry date or their service's validity, with a history row", async () => {
    const cases: Array<{ service: 'limited' | 'forever'; status: string; confirmedAt?: Date; createdAt: Date; expiresAt?: Date; expires: boolean }> = [
      { service: 'limited', status: 'active', confirmedAt: minus(NOW, 30 * DAY + MINUTE), createdAt: minus(NOW, 40 * DAY), expires: true },
      { service: 'limited', status: 'active', confirmedAt: minus(NOW, 30 * DAY - MINUTE), createdAt: minus(NOW, 40 * DAY), expires: false },
      { service: 'limited', status: 'pending', createdAt: minus(NOW, 31 * DAY), expires: true },
      { service: 'limited', status: 'active', createdAt: minus(NOW, 90 * DAY), expiresAt: plus(NOW, DAY), expires: false },
      { service: 'limited', status: 'unsubscribed', createdAt: minus(NOW, 90 * DAY), expires: false },
      { service: 'forever', status: 'active', createdAt: minus(NOW, 900 * DAY), expires: false },
      { service: 'forever', status: 'active', createdAt: minus(NOW, 2 * DAY), expiresAt: minus(NOW, MINUTE), expires: true },
      ...Array.from({ length: 12 }, () => ({ service: 'limited' as const, status: 'active', createdAt: minus(NOW, 60 * DAY), expires: true })),
    ];
    const ids = await db.write(async (transaction) => {
      const limited = await db.models.Service.create({ name: 'limited', label: 'Limited', validityDays: 30 }, { transaction });
      const forever = await db.models.Service.create({ name: 'forever', label: 'Forever' }, { transaction });
      const out: number[] = [];
      for (const [i, c] of cases.entries()) {
        const r = await db.models.Recipient.create({ email: `s${i}@example.com`, firstName: null, lastName: null }, { transaction });
        const serviceId = c.service === 'limited' ? limited.id : forever.id;
        const s = await db.models.Subscription.create(
          {
            serviceId,
            recipientId: r.id,
            status: c.status as 'active',
            confirmedAt: c.confirmedAt ?? null,
            expiresAt: c.expiresAt ?? null,
            createdAt: c.createdAt,
            updatedAt: c.createdAt,
          },
          { transaction, silent: true },
        );
        out.push(s.id);
      }
      return out;
    });
    const engine = testEngine(instance, db, { now: () => NOW });
    await engine.syncTechnical();
    const outcome = await engine.runNow('subscriptionExpiry');
    const expected = cases.filter((c) => c.expires).length;
    assert.deepEqual(outcome.kind === 'ran' && outcome.counts, { expired: expected });
    for (const [i, c] of cases.entries()) {
      const s = (await db.models.Subscription.findByPk(ids[i]))!;
      assert.equal(s.status, c.expires ? 'unsubscribed' : c.status, `case ${i}`);
    }
    assert.equal(await db.models.SubscriptionHistory.count({ where: { action: 'expire', at: NOW } }), expected);
  });
});
