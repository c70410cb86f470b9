import type { CreationAttributes, Transaction } from 'sequelize';
import { DELIVERY_STATES, INITIAL_STATES, type DeliveryState, type Transition } from '../../shared/glossary.js';
import type { Database } from '../connect.js';
import type { Delivery } from '../models/index.js';
import type { DeliveryChanges, DeliveryValues } from './deliveries.js';

/**
 * The one writer of delivery states. A state change names the state its caller read and a lifecycle
 * step (a transition of server/delivery/lifecycle.ts bound to its facts): the step decides the next
 * state from the state read, a refusal writes nothing, and the UPDATE applies only while the
 * delivery is still in the state read (compare-and-set), so two writers never overwrite each other.
 * A new delivery starts in one of the initial states. Nothing else in server/ writes a delivery's
 * state (test/db/delivery-state-writers.test.ts).
 */

/** A lifecycle transition with its facts bound: the state read in, the next state or a refusal out. */
export type LifecycleStep = (state: DeliveryState) => Transition;

/** Columns written together with the state (never the state itself). */
export type StateChangeValues = Omit<DeliveryChanges, 'state'>;

export type StateChange =
  | { ok: true; from: DeliveryState; to: DeliveryState }
  /** `conflict`: the delivery left the state read meanwhile (or is gone); otherwise the lifecycle refused. Nothing was written. */
  | { ok: false; from: DeliveryState; reason: string; conflict: boolean };

export interface StateChangeRequest {
  id: number;
  /** The state the caller read: the step starts from it and the UPDATE applies only while it holds. */
  from: DeliveryState;
  step: LifecycleStep;
  now: Date;
  /** Other columns to write with the new state, possibly depending on it. */
  set?: StateChangeValues | ((to: DeliveryState) => StateChangeValues);
}

export const CHANGED_MEANWHILE = 'the delivery changed meanwhile; look at it again and retry';

export async function changeDeliveryState(db: Database, change: StateChangeRequest): Promise<StateChange> {
  const t = change.step(change.from);
  if (!t.ok) return { ok: false, from: change.from, reason: t.reason, conflict: false };
  const values = typeof change.set === 'function' ? change.set(t.state) : (change.set ?? {});
  if ('state' in values) throw new Error('a delivery state is decided by its lifecycle step, not passed as a value');
  const { Delivery } = db.models;
  const [count] = await db.write((transaction) =>
    Delivery.update(
      { state: t.state, ...(values as Partial<Delivery>), updatedAt: change.now },
      {
        where: { id: change.id, state: change.from },
        transaction,
        silent: true,
      },
    ),
  );
  return count === 1 ? { ok: true, from: change.from, to: t.state } : { ok: false, from: change.from, reason: CHANGED_MEANWHILE, conflict: true };
}

/** The states a step accepts (the rows of the transition table it moves), e.g. to read candidates for it. */
export function statesAccepted(step: LifecycleStep): DeliveryState[] {
  return DELIVERY_STATES.filter((state) => step(state).ok);
}

export type NewDeliveryValues = DeliveryValues & { state: DeliveryState };

/**
 * A new delivery row in the caller's write transaction; its state must be one of the initial states.
 * Timestamps given in `values` are kept (the caller's clock), else they are the current time.
 */
export async function insertDelivery(db: Database, values: NewDeliveryValues, transaction: Transaction): Promise<Delivery> {
  const { Delivery } = db.models;
  if (!INITIAL_STATES.includes(values.state)) throw new Error(`a delivery cannot be created ${values.state} (initial states: ${INITIAL_STATES.join(', ')})`);
  return Delivery.create(values as CreationAttributes<Delivery>, { transaction, silent: values.updatedAt !== undefined });
}

export async function createDelivery(db: Database, values: NewDeliveryValues): Promise<Delivery> {
  return db.write((transaction) => insertDelivery(db, values, transaction));
}
