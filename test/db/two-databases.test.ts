import assert from 'node:assert/strict';
import type { Database } from '../../server/db/connect.js';
import { Recipient } from '../../server/db/models/index.js';
import { findDelivery } from '../../server/db/repos/deliveries.js';
import { changeDeliveryState, createDelivery } from '../../server/db/repos/delivery-state.js';
import { listsWithCounts } from '../../server/db/repos/lists.js';
import { countRecipients } from '../../server/db/repos/recipient-search.js';
import { recipientIdByEmail } from '../../server/db/repos/recipient-writes.js';
import { upsertRecipients } from '../../server/db/repos/recipients.js';
import { addToList, ensureList } from '../../server/db/repos/memberships.js';
import { beginAnalysis } from '../../server/delivery/lifecycle.js';
import { createInstance, openTestDb, type TestInstance } from '../helpers/instance.js';

/** One process, several databases: models are bound per database, so repositories never mix them up. */
describe('two databases open in one process', () => {
  let instances: TestInstance[];
  let a: Database;
  let b: Database;
  before(async () => {
    instances = [createInstance(), createInstance()];
    a = await openTestDb(instances[0]!);
    b = await openTestDb(instances[1]!);
  });
  after(async () => {
    await a.close();
    await b.close();
    for (const i of instances) i.cleanup();
  });

  it('gives each database its own model classes, and none to the declared classes', async () => {
    assert.notEqual(a.models.Recipient, b.models.Recipient);
    assert.equal(a.models.Recipient.sequelize, a.sequelize);
    assert.equal(b.models.Recipient.sequelize, b.sequelize);
    assert.equal(a.models.Recipient.name, 'Recipient', 'the model name (and so the SQL) is the class name');
    await assert.rejects(async () => Recipient.findAll(), 'a declared class is bound to no database');
  });

  it('writes and reads recipients in each database independently', async () => {
    const columns = new Set(['email', 'firstName'] as const);
    await Promise.all([
      upsertRecipients(a, [{ email: 'ann@example.com', firstName: 'Ann' }], columns),
      upsertRecipients(
        b,
        [
          { email: 'bob@example.com', firstName: 'Bob' },
          { email: 'cid@example.com', firstName: 'Cid' },
        ],
        columns,
      ),
    ]);
    assert.deepEqual([await countRecipients(a), await countRecipients(b)], [1, 2]);
    assert.notEqual(await recipientIdByEmail(a, 'ann@example.com'), undefined);
    assert.equal(await recipientIdByEmail(b, 'ann@example.com'), undefined, 'Ann lives in the first database only');
    assert.equal(await recipientIdByEmail(a, 'bob@example.com'), undefined, 'Bob lives in the second database only');
  });

  it('keeps deliveries and their compare-and-set state changes apart', async () => {
    const now = new Date();
    const da = await createDelivery(a, { state: 'editing', internalName: 'spring', label: 'Spring in A', createdAt: now, updatedAt: now });
    const db2 = await createDelivery(b, { state: 'editing', internalName: 'spring', label: 'Spring in B', createdAt: now, updatedAt: now });
    assert.equal(da.id, db2.id, 'both databases number from 1: only the database tells them apart');
    assert.equal((await changeDeliveryState(a, { id: da.id, from: 'editing', step: beginAnalysis, now })).ok, true);
    assert.equal((await findDelivery(a, 'spring'))?.state, 'analysing');
    assert.equal((await findDelivery(b, 'spring'))?.state, 'editing', 'the change in A left B alone');
    assert.equal((await findDelivery(b, 'spring'))?.label, 'Spring in B');
  });

  it('runs write transactions on both databases at the same time', async () => {
    const now = new Date();
    const [listA, listB] = await Promise.all([ensureList(a, 'vip', 'VIP', now), ensureList(b, 'vip', 'VIP', now)]);
    const idsA = [(await recipientIdByEmail(a, 'ann@example.com'))!];
    const idsB = [(await recipientIdByEmail(b, 'bob@example.com'))!, (await recipientIdByEmail(b, 'cid@example.com'))!];
    assert.deepEqual(await Promise.all([addToList(a, listA, idsA, now), addToList(b, listB, idsB, now)]), [1, 2]);
    const members = async (db: Database) => (await listsWithCounts(db)).map((l) => [l.list.name, l.members]);
    assert.deepEqual(await members(a), [['vip', 1]]);
    assert.deepEqual(await members(b), [['vip', 2]]);
  });

  it('closes one database and keeps using the other', async () => {
    const instance = createInstance();
    const c = await openTestDb(instance);
    try {
      await upsertRecipients(c, [{ email: 'dee@example.com' }], new Set(['email'] as const));
      assert.equal(await countRecipients(c), 1);
    } finally {
      await c.close();
      instance.cleanup();
    }
    assert.equal(await countRecipients(a), 1);
    assert.equal(await countRecipients(b), 2);
  });
});
