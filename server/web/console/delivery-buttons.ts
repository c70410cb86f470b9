import type { Delivery } from '../../db/models/index.js';
import * as lifecycle from '../../delivery/lifecycle.js';
import { ACTIVE_STATES, type NamedRight } from '../../shared/glossary.js';
import { hasRight } from '../security/rights.js';

/**
 * Which actions a delivery page offers, from the delivery lifecycle and the operator's rights
 * (pure): the server checks again on submit; this only hides what would be refused.
 */

export const DELIVERY_ACTIONS = ['edit', 'analyse', 'proof', 'start', 'pause', 'resume', 'stop'] as const;
export type DeliveryAction = (typeof DELIVERY_ACTIONS)[number];

const RIGHT: Record<DeliveryAction, NamedRight> = {
  edit: 'prepare_deliveries',
  analyse: 'prepare_deliveries',
  proof: 'prepare_deliveries',
  start: 'start_deliveries',
  pause: 'start_deliveries',
  resume: 'start_deliveries',
  stop: 'start_deliveries',
};

export function availableActions(d: Pick<Delivery, 'state' | 'kind' | 'isTemplate'>, rights: readonly string[], now: Date): DeliveryAction[] {
  const possible: Record<DeliveryAction, boolean> = {
    edit: d.kind !== 'proof' && lifecycle.edit(d.state).ok,
    analyse: !d.isTemplate && d.kind !== 'proof' && lifecycle.beginAnalysis(d.state).ok,
    proof: d.kind !== 'proof' && d.state !== 'deleted',
    start: !d.isTemplate && d.state === 'ready',
    pause: !d.isTemplate && lifecycle.pause(d.state).ok,
    resume: !d.isTemplate && lifecycle.resume(d.state, null, now).ok,
    stop: !d.isTemplate && lifecycle.stop(d.state).ok,
  };
  return DELIVERY_ACTIONS.filter((a) => possible[a] && hasRight(rights, RIGHT[a]));
}

/** Whether a delivery is being sent or may still be (the dashboard keeps following it). */
export const isLive = (state: Delivery['state']): boolean => ACTIVE_STATES.includes(state) || state === 'analysing';
