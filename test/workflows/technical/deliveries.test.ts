import assert from 'node:assert/strict';
import type { Database } from '../../../server/db/connect.js';
import type { BroadLogStatus, DeliveryState } from '../../../server/shared/glossary.js';
import { deliveryCounters } from '../../../server/shared/delivery-counters.js';
import { createInstance, openTestDb, type TestInstance } from '../../helpers/instance.js';
import { DAY, HOUR, MINUTE, minus, plus, testEngine } from '../helpers.js';

const NOW = new Date('2026-06-01T12:00:00Z');

describe('delivery scheduler and delivery indicators workflows', () => {
  let instance: TestInstance;
  let db: Database;
  before(async () => {
    instance = createInstance('[wfserver.cleanup]\nbatchSize = 10\nbatchPauseMs = 0\n');
    db = await openTestDb(instance);
  });
  after(async () => {
    await db.close();
    instance.cleanup();
  });
  beforeEach(() =>
    db.write(async (transaction) => {
      await db.models.BroadLog.destroy({ where: {}, transaction });
      await db.models.Delivery.destroy({ where: {}, transaction });
    }),
  );

  const run = async (name: 'deliveryScheduler' | 'deliveryIndicators') => {
    const engine = testEngine(instance, db, { now: () => NOW });
    await engine.syncTechnical();
    const outcome = await engine.runNow(name);
    assert.equal(outcome.kind === 'ran' && outcome.status, 'succeeded', JSON.stringify(outcome));
    return outcome.kind === 'ran' ? outcome.counts : {};
  };
  const delivery = (id: number, state: DeliveryState, extra: Partial<Record<'scheduledAt' | 'validityEnd' | 'updatedAt', Date>> = {}) =>
    db.write((transaction) =>
      db.models.Delivery.create(
        { id, internalName: `d${id}`, label: `d${id}`, state, createdAt: NOW, updatedAt: NOW, ...extra },
        { transaction, silent: true },
      ),
    );
  const logs = (deliveryId: number, status: BroadLogStatus, n: number, extra: object = {}) =>
    db.write((transaction) =>
      db.models.BroadLog.bulkCreate(
        Array.from({ length: n }, () => ({
          deliveryId,
          address: 'a@example.com',
          emailFormat: 'html',
          status,
          createdAt: NOW,
          updatedAt: NOW,
          ...extra,
        })) as never[],
        { transaction },
      ),
    );
  const stateOf = async (id: number) => (await db.models.Delivery.findByPk(id))!;
  const statuses = async (deliveryId: number) =>
    (await db.models.BroadLog.findAll({ where: { deliveryId } }))
      .map((b) => b.status)
      .sort()
      .join(',');

  it('starts the scheduled deliveries whose time has come, and only those', async () => {
    await delivery(1, 'scheduled', { scheduledAt: minus(NOW, MINUTE) });
    await delivery(2, 'scheduled', { scheduledAt: NOW });
    await delivery(3, 'scheduled', { scheduledAt: plus(NOW, MINUTE) });
    await delivery(4, 'ready', { scheduledAt: minus(NOW, HOUR) });
    const counts = await run('deliveryScheduler');
    assert.equal(counts.started, 2);
    assert.deepEqual(await Promise.all([1, 2, 3, 4].map(async (id) => (await stateOf(id)).state)), ['start_pending', 'start_pending', 'scheduled', 'ready']);
    assert.equal((await stateOf(1)).updatedAt.toISOString(), NOW.toISOString(), 'changed at the run time');
  });

  it('ends deliveries past their validity: pending messages cancelled, delivery finished at its validity end', async () => {
    const validityEnd = minus(NOW, HOUR);
    await delivery(1, 'in_progress', { validityEnd });
    await logs(1, 'pending', 23);
    await logs(1, 'sent', 2);
    await delivery(2, 'in_progress', { validityEnd: plus(NOW, DAY) });
    await logs(2, 'pending', 2);
    await delivery(3, 'stopped', { validityEnd });
    await logs(3, 'pending', 2);
    await delivery(4, 'recovery_pending', { validityEnd });
    await logs(4, 'pending', 1);
    await logs(4, 'pending', 1, { leaseOwner: 'mta-1', leaseExpiresAt: plus(NOW, MINUTE) });
    await delivery(5, 'ready', { validityEnd });
    await logs(5, 'pending', 3);
    const counts = await run('deliveryScheduler');
    assert.deepEqual(counts, { started: 0, expired: 1, cancelledMessages: 23 + 2 + 1 });
    const d1 = await stateOf(1);
    assert.deepEqual([d1.state, d1.finishedAt?.toISOString()], ['finished', validityEnd.toISOString()]);
    assert.equal(await statuses(1), `${'cancelled,'.repeat(23)}sent,sent`);
    assert.deepEqual([(await stateOf(2)).state, await statuses(2)], ['in_progress', 'pending,pending'], 'still valid');
    assert.deepEqual([(await stateOf(3)).state, await statuses(3)], ['stopped', 'cancelled,cancelled'], 'a stopped delivery stays stopped');
    assert.deepEqual(
      [(await stateOf(4)).state, await statuses(4)],
      ['recovery_pending', 'cancelled,pending'],
      'a message the MTA holds is left to it; the delivery finishes later',
    );
    assert.deepEqual(
      [(await stateOf(5)).state, await statuses(5)],
      ['ready', 'pending,pending,pending'],
      'a delivery never started does not finish (the lifecycle refuses): it cannot start either, and editing it clears its analysis',
    );
  });

  const counterCases: Array<{ byStatus: Partial<Record<BroadLogStatus, number>>; processed: number; sent: number; failed: number }> = [
    { byStatus: {}, processed: 0, sent: 0, failed: 0 },
    { byStatus: { pending: 5 }, processed: 0, sent: 0, failed: 0 },
    { byStatus: { pending: 1, sent: 3, failed: 2, ignored: 1, cancelled: 4 }, processed: 6, sent: 3, failed: 2 },
  ];
  for (const c of counterCases) {
    it(`counts processed ${c.processed}, sent ${c.sent}, failed ${c.failed} from broad logs ${JSON.stringify(c.byStatus)}`, () => {
      assert.deepEqual(deliveryCounters(c.byStatus), { processed: c.processed, sent: c.sent, failed: c.failed });
    });
  }

  it('recomputes the counters of deliveries sending or recently ended from their broad logs', async () => {
    await delivery(1, 'in_progress');
    await logs(1, 'sent', 3);
    await logs(1, 'failed', 1);
    await logs(1, 'pending', 2);
    await delivery(2, 'finished', { updatedAt: minus(NOW, 10 * DAY) });
    await logs(2, 'sent', 2);
    await delivery(3, 'finished', { updatedAt: minus(NOW, 40 * DAY) });
    await logs(3, 'sent', 2);
    await delivery(4, 'editing');
    await logs(4, 'sent', 1);
    const counts = await run('deliveryIndicators');
    assert.deepEqual(counts, { deliveries: 2, updated: 2 });
    const counters = async (id: number) => {
      const d = await stateOf(id);
      return [d.processed, d.sent, d.failed];
    };
    assert.deepEqual(await Promise.all([1, 2, 3, 4].map(counters)), [
      [4, 3, 1],
      [2, 2, 0],
      [0, 0, 0],
      [0, 0, 0],
    ]);
    assert.deepEqual(await run('deliveryIndicators'), { deliveries: 2, updated: 0 }, 'unchanged counters are not rewritten');
  });
});
