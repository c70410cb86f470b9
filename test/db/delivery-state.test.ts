import assert from 'node:assert/strict';
import type { Database } from '../../server/db/connect.js';
import { changeDeliveryState, createDelivery, statesAccepted } from '../../server/db/repos/delivery-state.js';
import * as lifecycle from '../../server/delivery/lifecycle.js';
import { DELIVERY_STATES, INITIAL_STATES, type DeliveryState } from '../../server/shared/glossary.js';
import { createInstance, openTestDb, type TestInstance } from '../helpers/instance.js';
import { now, TRANSITION_TABLE } from '../helpers/lifecycle-table.js';

/** The one writer of delivery states, on a real SQLite database: every state through every transition. */
describe('delivery state writer', function () {
  this.timeout(60_000);
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

  let serial = 0;
  /** One delivery row per state (fixtures written directly: the writer under test is not used to set them up). */
  const onePerState = () =>
    db.write(async (transaction) => {
      const rows = await db.models.Delivery.bulkCreate(
        DELIVERY_STATES.map((state) => ({ internalName: `d${++serial}`, label: state, state })),
        { transaction },
      );
      return new Map(rows.map((r) => [r.state, r.id]));
    });
  const stateOf = async (id: number) => (await db.models.Delivery.findByPk(id))!.state;

  for (const [name, step, allowed] of TRANSITION_TABLE) {
    it(`${name}: writes the next state from each state it accepts and nothing from the others`, async () => {
      const ids = await onePerState();
      for (const from of DELIVERY_STATES) {
        const id = ids.get(from)!;
        const change = await changeDeliveryState(db, { id, from, step, now });
        const to = allowed[from];
        if (to) {
          assert.deepEqual(change, { ok: true, from, to }, `${name} from ${from}`);
          assert.equal(await stateOf(id), to, `${name} from ${from} is stored`);
        } else {
          assert.ok(!change.ok && !change.conflict && change.reason.length > 10, `${name} from ${from} is refused with a reason`);
          assert.equal(await stateOf(id), from, `${name} from ${from} writes nothing`);
        }
      }
      assert.deepEqual(statesAccepted(step).sort(), Object.keys(allowed).sort(), `the states ${name} accepts, derived from the table`);
    });
  }

  it('refuses a change when the delivery left the state its caller read, and writes nothing', async () => {
    const ids = await onePerState();
    const id = ids.get('paused')!;
    // the caller read `in_progress`, but an operator paused the delivery meanwhile
    const change = await changeDeliveryState(db, { id, from: 'in_progress', step: lifecycle.awaitRetries, now });
    assert.deepEqual(change, { ok: false, from: 'in_progress', reason: 'the delivery changed meanwhile; look at it again and retry', conflict: true });
    assert.equal(await stateOf(id), 'paused');
    const gone = await changeDeliveryState(db, { id: 987_654, from: 'paused', step: lifecycle.stop, now });
    assert.equal(!gone.ok && gone.conflict, true, 'a delivery that does not exist is a conflict too');
  });

  it('writes the columns given with the new state, chosen by the state it goes to', async () => {
    const ids = await onePerState();
    const id = ids.get('recovery_in_progress')!;
    const at = new Date('2026-03-01T11:00:00Z');
    const change = await changeDeliveryState(db, {
      id,
      from: 'recovery_in_progress',
      step: lifecycle.finish,
      now: at,
      set: (to) => (to === 'finished' ? { finishedAt: at } : {}),
    });
    assert.ok(change.ok);
    const row = (await db.models.Delivery.findByPk(id))!;
    assert.deepEqual([row.state, row.finishedAt?.toISOString(), row.updatedAt.toISOString()], ['finished', at.toISOString(), at.toISOString()]);
  });

  it('never takes the state as a column value', async () => {
    const ids = await onePerState();
    const set = { state: 'finished' } as unknown as { lastError: null };
    await assert.rejects(
      changeDeliveryState(db, { id: ids.get('editing')!, from: 'editing', step: lifecycle.edit, now, set }),
      /decided by its lifecycle step/,
    );
    assert.equal(await stateOf(ids.get('editing')!), 'editing');
  });

  const creations: Array<[DeliveryState, boolean]> = DELIVERY_STATES.map((state) => [state, INITIAL_STATES.includes(state)]);
  for (const [state, allowed] of creations) {
    it(`${allowed ? 'creates' : 'refuses to create'} a delivery ${state}`, async () => {
      const create = createDelivery(db, { internalName: `new-${state}`, label: state, state });
      if (allowed) assert.equal((await create).state, state);
      else {
        await assert.rejects(create, /cannot be created/);
        assert.equal(await db.models.Delivery.count({ where: { internalName: `new-${state}` } }), 0);
      }
    });
  }
});
