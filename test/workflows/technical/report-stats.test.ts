import assert from 'node:assert/strict';
import type { Database } from '../../../server/db/connect.js';
import { slotCounts } from '../../../server/workflows/technical/report-stats.js';
import { createInstance, openTestDb, type TestInstance } from '../../helpers/instance.js';
import { testEngine } from '../helpers.js';

const NOW = new Date('2026-06-03T12:00:00Z');

describe('report aggregates workflow', () => {
  let instance: TestInstance;
  let db: Database;
  before(async () => {
    instance = createInstance();
    db = await openTestDb(instance);
  });
  after(async () => {
    await db.close();
    instance.cleanup();
  });

  const run = async () => {
    const engine = testEngine(instance, db, { now: () => NOW });
    await engine.syncTechnical();
    const outcome = await engine.runNow('reportStats');
    assert.equal(outcome.kind === 'ran' && outcome.status, 'succeeded', JSON.stringify(outcome));
    return outcome.kind === 'ran' ? outcome.counts : {};
  };
  const failed = (deliveryId: number, address: string, failureType: 'hard' | 'soft', failureReason: 'user_unknown' | 'mailbox_full') => ({
    deliveryId,
    address,
    emailFormat: 'html' as const,
    status: 'failed' as const,
    failureType,
    failureReason,
  });
  const stats = async () =>
    (
      await db.models.DeliveryFailureStat.findAll({
        order: [
          ['domain', 'ASC'],
          ['failureReason', 'ASC'],
        ],
      })
    ).map((s) => [s.deliveryId, s.domain, s.failureType, s.failureReason, s.messages]);

  it('folds events per service, quarter hour and action into one row per service and quarter hour', () => {
    const rows = slotCounts([
      { serviceId: 2, slot: '2026-06-01 10:15', action: 'subscribe', events: 3 },
      { serviceId: 1, slot: '2026-06-02 00:00', action: 'unsubscribe', events: 1 },
      { serviceId: 2, slot: '2026-06-01 10:15', action: 'confirm', events: 2 },
      { serviceId: 2, slot: '2026-06-01 10:15', action: 'expire', events: 1 },
      { serviceId: 2, slot: '2026-06-01 10:00', action: 'subscribe', events: 1 },
    ]);
    assert.deepEqual(rows, [
      { serviceId: 1, slot: '2026-06-02 00:00', subscribed: 0, confirmed: 0, unsubscribed: 1, expired: 0 },
      { serviceId: 2, slot: '2026-06-01 10:00', subscribed: 1, confirmed: 0, unsubscribed: 0, expired: 0 },
      { serviceId: 2, slot: '2026-06-01 10:15', subscribed: 3, confirmed: 2, unsubscribed: 0, expired: 1 },
    ]);
  });

  it('counts the failures of sending deliveries by domain and reason, again only when they changed', async () => {
    const d = await db.write((transaction) =>
      db.models.Delivery.create({ internalName: 'd', label: 'd', state: 'in_progress', createdAt: NOW, updatedAt: NOW }, { transaction, silent: true }),
    );
    const old = await db.write((transaction) =>
      db.models.Delivery.create(
        { internalName: 'old', label: 'old', state: 'finished', createdAt: NOW, updatedAt: new Date('2026-01-01T00:00:00Z') },
        { transaction, silent: true },
      ),
    );
    await db.write((transaction) =>
      db.models.BroadLog.bulkCreate(
        [
          failed(d.id, 'a@Mail.Example', 'hard', 'user_unknown'),
          failed(d.id, 'b@mail.example', 'hard', 'user_unknown'),
          failed(d.id, 'c@other.example', 'soft', 'mailbox_full'),
          failed(old.id, 'z@old.example', 'hard', 'user_unknown'),
          { ...failed(d.id, 'd@mail.example', 'hard', 'user_unknown'), status: 'sent' },
        ],
        { transaction },
      ),
    );
    assert.equal((await run()).deliveries, 1);
    assert.deepEqual(await stats(), [
      [d.id, 'mail.example', 'hard', 'user_unknown', 2],
      [d.id, 'other.example', 'soft', 'mailbox_full', 1],
    ]);
    assert.equal((await run()).deliveries, 0, 'unchanged failures are not recounted');
    await db.write((transaction) => db.models.BroadLog.create(failed(d.id, 'e@other.example', 'soft', 'mailbox_full'), { transaction }));
    assert.equal((await run()).deliveries, 1);
    assert.deepEqual((await stats())[1], [d.id, 'other.example', 'soft', 'mailbox_full', 2]);
  });

  it('counts subscription events per UTC quarter hour, recomputing from the day before the last one stored', async () => {
    const event = (action: 'subscribe' | 'unsubscribe' | 'confirm', at: string) => ({ serviceId: 1, recipientId: 1, action, origin: 'test', at: new Date(at) });
    await db.write((transaction) =>
      db.models.SubscriptionHistory.bulkCreate(
        [
          event('subscribe', '2026-06-01T23:59:59Z'),
          event('subscribe', '2026-06-02T00:00:00Z'),
          event('confirm', '2026-06-02T10:14:59.999Z'),
          event('unsubscribe', '2026-06-03T08:15:00Z'),
          event('unsubscribe', '2026-06-03T08:29:00Z'),
        ],
        { transaction },
      ),
    );
    await run();
    const slots = async () =>
      (await db.models.SubscriptionSlotStat.findAll({ order: [['slot', 'ASC']] })).map((r) => [r.slot, r.subscribed, r.confirmed, r.unsubscribed]);
    assert.deepEqual(await slots(), [
      ['2026-06-01 23:45', 1, 0, 0],
      ['2026-06-02 00:00', 1, 0, 0],
      ['2026-06-02 10:00', 0, 1, 0],
      ['2026-06-03 08:15', 0, 0, 2],
    ]);
    await db.write((transaction) =>
      db.models.SubscriptionHistory.bulkCreate([event('subscribe', '2026-06-03T09:00:00Z'), event('subscribe', '2026-06-02T11:00:00Z')], { transaction }),
    );
    await run();
    assert.deepEqual(await slots(), [
      ['2026-06-01 23:45', 1, 0, 0],
      ['2026-06-02 00:00', 1, 0, 0],
      ['2026-06-02 10:00', 0, 1, 0],
      ['2026-06-02 11:00', 1, 0, 0],
      ['2026-06-03 08:15', 0, 0, 2],
      ['2026-06-03 09:00', 1, 0, 0],
    ]);
  });
});
