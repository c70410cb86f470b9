import type { Database } from '../../db/connect.js';
import type { Delivery } from '../../db/models/index.js';
import { findDelivery } from '../../db/repos/deliveries.js';
import { startDelivery, type StartHooks } from '../../delivery/actions.js';
import { analyseDelivery, type DeliveryDeps } from '../../delivery/analyse.js';
import type { Issue } from '../../delivery/template/plan.js';
import { describeError, HeraldError } from '../../shared/errors.js';
import type { DeliveryState } from '../../shared/glossary.js';

/**
 * The send step of a Delivery activity, through the same calls as an operator's delivery in the
 * console: the analysis (control rules, typology, exclusions, tracked URLs, broad logs), then the
 * start (tracked links pushed to the tracking servers, start pending, or scheduled at the contact
 * date). Named steps by the state the delivery is in, so a wave retried after a crash or a refusal
 * carries on where the delivery stands: analyse again what is not analysed, start what is ready,
 * leave alone what started or was stopped by an operator.
 */

export interface SentDelivery {
  deliveryId: number;
  state: DeliveryState;
  /** Messages the analysis left to send (0: everyone was excluded, nothing starts). */
  toDeliver: number;
}

/** Not analysed (yet, again, or after a fix): the analysis runs. `analysing` here is an analysis a crash interrupted. */
const TO_ANALYSE: readonly DeliveryState[] = ['targeting_pending', 'editing', 'failed', 'analysing'];

export async function analyseAndStart(deps: DeliveryDeps, deliveryId: number, now: Date, hooks: StartHooks): Promise<SentDelivery> {
  let d = await load(deps.db, deliveryId);
  if (TO_ANALYSE.includes(d.state)) d = await analyse(deps, d, now);
  if (d.state === 'ready' && d.toDeliver > 0) d = await start(deps, d, now, hooks);
  return { deliveryId: d.id, state: d.state, toDeliver: d.toDeliver };
}

async function load(db: Database, id: number): Promise<Delivery> {
  const d = await findDelivery(db, id);
  if (!d) throw new HeraldError('WF_DELIVERY_GONE', `delivery ${id} no longer exists`);
  return d;
}

async function analyse(deps: DeliveryDeps, d: Delivery, now: Date): Promise<Delivery> {
  let state: DeliveryState;
  let issues: Issue[];
  try {
    ({ state, issues } = await analyseDelivery(deps, d.id, { now: () => now, force: d.state === 'analysing' }));
  } catch (err) {
    throw new HeraldError('WF_DELIVERY_ANALYSIS_FAILED', `the analysis of delivery "${d.internalName}" failed: ${describeError(err)}`);
  }
  if (state !== 'ready') throw blocked(d, issues);
  return load(deps.db, d.id);
}

async function start(deps: DeliveryDeps, d: Delivery, now: Date, hooks: StartHooks): Promise<Delivery> {
  try {
    return await startDelivery(deps, d.id, now, hooks);
  } catch (err) {
    throw new HeraldError('WF_DELIVERY_NOT_STARTED', `delivery "${d.internalName}" could not start: ${describeError(err)}`);
  }
}

/** The control rules that blocked the analysis, as the operator reads them in the delivery's analysis. */
export function blocked(d: Pick<Delivery, 'internalName'>, issues: readonly Issue[]): HeraldError {
  const errors = issues.filter((i) => i.level === 'error');
  const reasons = errors.map((i) => `${i.rule}: ${i.message}`).join('; ');
  return new HeraldError(
    'WF_DELIVERY_BLOCKED',
    `the analysis of delivery "${d.internalName}" was blocked by ${errors.length} control rule error(s): ${reasons || 'see the delivery'}`,
  );
}
