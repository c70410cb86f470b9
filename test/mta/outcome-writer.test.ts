import assert from 'node:assert/strict';
import type { Database } from '../../server/db/connect.js';
import { claimDue } from '../../server/db/repos/mta-queue.js';
import { ADOBE_QUARANTINE_POLICY } from '../../server/bounce/quarantine-policy.js';
import { failureEffects } from '../../server/mta/failure-effects.js';
import { OutcomeWriter } from '../../server/mta/outcome-writer.js';
import { createInstance, openTestDb, type TestInstance } from '../helpers/instance.js';
import { recordingLogger } from '../helpers/recording-logger.js';

/** The MTA's group commit writes outcomes only for the messages still leased to it (lease fencing). */
describe('MTA outcome writer', () => {
  let instance: TestInstance;
  let db: Database;
  let deliveryId: number;
  beforeEach(async () => {
    instance = createInstance();
    db = await openTestDb(instance);
    deliveryId = (await db.write((t) => db.models.Delivery.create({ internalName: 'fenced', label: 'F', state: 'in_progress' }, { transaction: t }))).id;
    await db.write((t) =>
      db.models.BroadLog.bulkCreate(
        ['a', 'b', 'c'].map((name) => ({ deliveryId, address: `${name}@fenced.test`, emailFormat: 'html' as const, status: 'pending' as const })),
        { transaction: t },
      ),
    );
  });
  afterEach(async () => {
    await db.close();
    instance.cleanup();
  });

  const claim = (owner: string, limit: number, at: Date) => claimDue(db, { deliveryId, owner, now: at, until: new Date(at.getTime() + 60_000), limit });

  it('drops the outcome of a message another MTA took over after its lease ran out, and counts each message once', async () => {
    const t0 = new Date();
    const stalled = await claim('mta-a', 3, t0);
    // mta-a stalls past its lease; mta-b claims one of its messages, sends it and writes its outcome
    const [taken] = await claim('mta-b', 1, new Date(t0.getTime() + 61_000));
    assert.ok(taken, 'the expired lease is claimed');
    const log = recordingLogger();
    const b = new OutcomeWriter(db, 'mta-b', failureEffects(db, ADOBE_QUARANTINE_POLICY), log, () => new Date());
    void b.add({ id: taken.id, deliveryId, status: 'sent' });
    await b.flush();

    // mta-a comes back: the message mta-b sent was refused for it (hard), the two others went out
    const a = new OutcomeWriter(db, 'mta-a', failureEffects(db, ADOBE_QUARANTINE_POLICY), log, () => new Date());
    for (const m of stalled) {
      if (m.id !== taken.id) void a.add({ id: m.id, deliveryId, status: 'sent' });
      else {
        const text = '550 5.1.1 user unknown';
        void a.add(
          { id: m.id, deliveryId, status: 'failed', type: 'hard', reason: 'user_unknown', text },
          { broadLogId: m.id, deliveryId, address: m.address, type: 'hard', reason: 'user_unknown', rule: 'test', qualified: true, text, temporary: false },
        );
      }
    }
    await a.flush();

    const row = await db.models.BroadLog.findByPk(taken.id);
    assert.deepEqual([row?.status, row?.attempts, row?.failureType ?? null], ['sent', 1, null], "mta-b's outcome stands");
    assert.equal(await db.models.Quarantine.count({ where: { address: taken.address } }), 0, 'no quarantine from the dropped failure');
    assert.equal(await db.models.BroadLog.count({ where: { deliveryId, status: 'sent' } }), 3);
    const d = await db.models.Delivery.findByPk(deliveryId);
    assert.deepEqual([d?.processed, d?.sent, d?.failed], [3, 3, 0], 'three messages, each counted once');
    const lost = log.events.filter((e) => e.event === 'MTA_LEASES_LOST');
    assert.deepEqual(
      lost.map((e) => e.fields),
      [{ count: 1, owner: 'mta-a' }],
    );
  });
});
