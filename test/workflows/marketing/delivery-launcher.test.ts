import assert from 'node:assert/strict';
import type { Database } from '../../../server/db/connect.js';
import { changeDeliveryState } from '../../../server/db/repos/delivery-state.js';
import { createDeliveryFromTemplate, findTemplate } from '../../../server/db/repos/workflow-deliveries.js';
import { addToList, ensureList } from '../../../server/db/repos/memberships.js';
import { stopDelivery } from '../../../server/delivery/actions.js';
import { analyseDelivery, type DeliveryDeps } from '../../../server/delivery/analyse.js';
import { beginAnalysis } from '../../../server/delivery/lifecycle.js';
import { silentLogger } from '../../../server/shared/logger.js';
import { createDeliveryLauncher, type DeliveryLauncher } from '../../../server/workflows/marketing/delivery-launcher.js';
import { createInstance, openTestDb, type TestInstance } from '../../helpers/instance.js';
import { seedRecipients, seedTemplate } from '../helpers.js';

/**
 * A Delivery activity launched again with the same key (a wave retried after a crash or a failure)
 * carries on from where its delivery stands, through the delivery's own analysis and start.
 */
describe('workflow delivery launcher', () => {
  let instance: TestInstance;
  let db: Database;
  let deps: DeliveryDeps;
  let launcher: DeliveryLauncher;
  let recipients: number[];
  const now = new Date('2026-03-02T10:00:00Z');
  const request = (key: string) => ({ key, template: 'news', label: `news ${key}`, recipientIds: recipients, now });

  before(async () => {
    instance = createInstance();
    db = await openTestDb(instance);
    deps = { db, config: instance.config, log: silentLogger(), dkim: [] };
    launcher = createDeliveryLauncher(deps);
    recipients = await seedRecipients(db, ['ann@example.com', 'bob@example.com', 'BOB@example.com', 'not-an-address'], now);
    await seedTemplate(db, 'news', now);
  });
  after(async () => {
    await db.close();
    instance.cleanup();
  });

  /** A delivery made from the template for the key, not analysed (as a launch that crashed right after creating it leaves it). */
  const created = async (key: string) => {
    const listId = await ensureList(db, key, key, now);
    await addToList(db, listId, recipients, now);
    return createDeliveryFromTemplate(db, { internalName: key, label: key, template: await findTemplate(db, 'news'), listId, listName: key, now });
  };
  const messages = (deliveryId: number) => db.models.BroadLog.count({ where: { deliveryId } });

  it('creates, analyses (with the exclusions) and starts a new delivery', async () => {
    const launched = await launcher.launch(request('fresh'));
    assert.deepEqual({ ...launched, deliveryId: undefined }, { deliveryId: undefined, created: true, state: 'start_pending', toDeliver: 2 });
    const d = (await db.models.Delivery.findByPk(launched.deliveryId))!;
    assert.deepEqual([d.totalTarget, d.excluded, d.analysis && (d.analysis as { excluded: object }).excluded], [4, 2, { duplicate: 1, invalid_address: 1 }]);
  });

  const retries: Array<{ case: string; before: (key: string) => Promise<number>; state: string; created: boolean }> = [
    {
      case: 'one already started: it is left as it is',
      before: async (key) => (await launcher.launch(request(key))).deliveryId,
      state: 'start_pending',
      created: false,
    },
    {
      case: 'one whose analysis was interrupted: it is analysed again and started',
      before: async (key) => {
        const id = await created(key);
        await changeDeliveryState(db, { id, from: 'targeting_pending', step: (s) => beginAnalysis(s), now });
        return id;
      },
      state: 'start_pending',
      created: false,
    },
    {
      case: 'one analysed but not started: it is started',
      before: async (key) => {
        const id = await created(key);
        await analyseDelivery(deps, id, { now: () => now });
        return id;
      },
      state: 'start_pending',
      created: false,
    },
    {
      case: 'one an operator stopped: it stays stopped',
      before: async (key) => {
        const id = (await launcher.launch(request(key))).deliveryId;
        await stopDelivery(deps, id, now);
        return id;
      },
      state: 'stopped',
      created: false,
    },
  ];
  for (const [i, c] of retries.entries()) {
    it(`launched again for ${c.case}`, async () => {
      const key = `retry-${i}`;
      const id = await c.before(key);
      const before = await messages(id);
      const launched = await launcher.launch(request(key));
      assert.deepEqual([launched.deliveryId, launched.created, launched.state], [id, c.created, c.state]);
      assert.equal(await db.models.Delivery.count({ where: { internalName: key } }), 1);
      if (before > 0 && c.state !== 'stopped') assert.equal(await messages(id), before, 'no message is written twice');
    });
  }
});
