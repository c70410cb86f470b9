import { ACTIVE_STATES, type DeliveryState, type Transition } from '../shared/glossary.js';

/**
 * The delivery lifecycle (Adobe's states, see server/shared/glossary.ts) as pure transition
 * functions: each takes the facts it needs and answers the next state, or a refusal with a reason an
 * operator can act on. Nothing here reads the clock or the database. Shells never write a state
 * themselves: they hand one of these functions, bound to its facts, to the one state writer
 * (changeDeliveryState in server/db/repos/delivery-state.ts), which applies it to the state it read
 * with a compare-and-set.
 *
 *   created: editing (operator) · targeting_pending (marketing workflow) · start_pending (transactional event)
 *
 *   editing ─beginAnalysis─► analysing ─endAnalysis─► ready ─start─► start_pending ─beginSending (mta)─► in_progress
 *      ▲  ▲                   │ errors: editing          └─start at─► scheduled ─releaseScheduled (wfserver)─┘
 *      │  └─edit──────────────┤ crash: failed
 *      └─ targeting_pending ◄─scheduleAnalysis
 *
 *   in_progress ─awaitRetries─► recovery_pending ─beginRecovery─► recovery_in_progress ─awaitRetries─► recovery_pending …
 *     (mta: only retries wait)   (mta: due retries are being sent)      (mta: the retries sent, more wait)
 *   sending ─finish─► finished (mta: nothing pending; wfserver: validity end, from any active state)
 *   sending ─pause─► pause_requested ─pauseTaken (mta)─► paused ─resume─► start_pending
 *   active ─stop─► stopped · active ─fail─► failed · not active ─remove─► deleted
 */

export type { Transition };

const to = (state: DeliveryState): Transition => ({ ok: true, state });
const refuse = (reason: string): Transition => ({ ok: false, reason });

const EDITABLE: readonly DeliveryState[] = ['editing', 'targeting_pending', 'ready', 'failed'];
const is = (state: DeliveryState, set: readonly DeliveryState[]) => set.includes(state);
const words = (state: DeliveryState) => state.replace(/_/g, ' ');

/** Content, target or settings change: only before start; a ready delivery needs a new analysis. */
export function edit(state: DeliveryState): Transition {
  if (is(state, EDITABLE)) return to('editing');
  if (state === 'analysing') return refuse('the delivery is being analysed; wait for the analysis to finish');
  return refuse(`a delivery that is ${words(state)} cannot be changed; create a new delivery instead`);
}

/** Plans the analysis for later (the workflow server runs it when due). */
export function scheduleAnalysis(state: DeliveryState): Transition {
  if (state === 'editing' || state === 'ready' || state === 'failed') return to('targeting_pending');
  return refuse(`a delivery that is ${words(state)} cannot be scheduled for analysis`);
}

/** `force` recovers an analysis that was interrupted (the process ended while analysing). */
export function beginAnalysis(state: DeliveryState, force = false): Transition {
  if (is(state, EDITABLE)) return to('analysing');
  if (state === 'analysing') return force ? to('analysing') : refuse('the delivery is already being analysed (use --force if that analysis was interrupted)');
  return refuse(`a delivery that is ${words(state)} cannot be analysed again`);
}

/** The analysis ended: ready to start, or back to editing when a control rule raised an error. */
export function endAnalysis(state: DeliveryState, blockingErrors: number): Transition {
  if (state !== 'analysing') return refuse(`no analysis is running (the delivery is ${words(state)})`);
  return to(blockingErrors > 0 ? 'editing' : 'ready');
}

/** The analysis itself failed (database error, unreadable content): the operator fixes and retries. */
export function failAnalysis(state: DeliveryState): Transition {
  return state === 'analysing' ? to('failed') : refuse(`no analysis is running (the delivery is ${words(state)})`);
}

export interface StartFacts {
  state: DeliveryState;
  now: Date;
  /** Contact date: start later. */
  scheduledAt: Date | null;
  validityEnd: Date | null;
  toDeliver: number;
  /** Control-rule errors of the last analysis. */
  blockingErrors: number;
}

/** Confirms a ready delivery: sending starts now (start pending) or at its contact date (scheduled). */
export function start(f: StartFacts): Transition {
  if (f.state !== 'ready') {
    if (f.state === 'editing' || f.state === 'targeting_pending' || f.state === 'failed')
      return refuse('the delivery must be analysed before it can start (herald delivery analyse)');
    return refuse(`a delivery that is ${words(f.state)} cannot be started`);
  }
  if (f.blockingErrors > 0) return refuse(`the analysis found ${f.blockingErrors} error(s); fix them and analyse again`);
  if (f.toDeliver === 0) return refuse('the analysis left no message to deliver');
  if (f.validityEnd && f.validityEnd <= f.now) return refuse('the validity period has already ended');
  if (f.scheduledAt && f.validityEnd && f.scheduledAt >= f.validityEnd) return refuse('the contact date is after the end of the validity period');
  return to(f.scheduledAt && f.scheduledAt > f.now ? 'scheduled' : 'start_pending');
}

/** A scheduled delivery whose contact date has come (workflow server). */
export function releaseScheduled(state: DeliveryState, scheduledAt: Date | null, now: Date): Transition {
  if (state !== 'scheduled') return refuse(`the delivery is not scheduled (it is ${words(state)})`);
  if (scheduledAt && scheduledAt > now) return refuse('the contact date has not come yet');
  return to('start_pending');
}

/** The MTA took the delivery's messages (first claim). */
export function beginSending(state: DeliveryState): Transition {
  return state === 'start_pending' ? to('in_progress') : refuse(`the delivery is not waiting to start (it is ${words(state)})`);
}

/** Every first attempt is done; only retries remain. */
export function awaitRetries(state: DeliveryState): Transition {
  return state === 'in_progress' || state === 'recovery_in_progress' ? to('recovery_pending') : refuse(`the delivery is not sending (it is ${words(state)})`);
}

/** The MTA took due retries. */
export function beginRecovery(state: DeliveryState): Transition {
  return state === 'recovery_pending' ? to('recovery_in_progress') : refuse(`no retries are waiting (the delivery is ${words(state)})`);
}

/** Nothing left to send, or the validity period ended (the cleanup cancels what is still pending). */
export function finish(state: DeliveryState): Transition {
  if (is(state, ACTIVE_STATES)) return to('finished');
  return refuse(`a delivery that is ${words(state)} cannot finish`);
}

/** Pause: immediate when nothing is being sent; otherwise requested and confirmed by the MTA. */
export function pause(state: DeliveryState): Transition {
  if (state === 'scheduled' || state === 'start_pending') return to('paused');
  if (state === 'in_progress' || state === 'recovery_pending' || state === 'recovery_in_progress') return to('pause_requested');
  if (state === 'pause_requested' || state === 'paused') return refuse('the delivery is already paused');
  return refuse(`a delivery that is ${words(state)} cannot be paused`);
}

/** The MTA stopped taking messages of a delivery whose pause was requested. */
export function pauseTaken(state: DeliveryState): Transition {
  return state === 'pause_requested' ? to('paused') : refuse(`no pause was requested (the delivery is ${words(state)})`);
}

export function resume(state: DeliveryState, validityEnd: Date | null, now: Date): Transition {
  if (state !== 'paused' && state !== 'pause_requested') return refuse(`only a paused delivery can resume (it is ${words(state)})`);
  if (validityEnd && validityEnd <= now) return refuse('the validity period has ended; the delivery can no longer resume');
  return to('start_pending');
}

/** Stop for good: pending messages are cancelled. */
export function stop(state: DeliveryState): Transition {
  if (is(state, ACTIVE_STATES)) return to('stopped');
  return refuse(`a delivery that is ${words(state)} cannot be stopped`);
}

/** A fatal error while sending (e.g. the content can no longer be compiled). */
export function fail(state: DeliveryState): Transition {
  return is(state, ACTIVE_STATES) ? to('failed') : refuse(`a delivery that is ${words(state)} cannot fail`);
}

export function remove(state: DeliveryState): Transition {
  if (is(state, ACTIVE_STATES) || state === 'analysing') return refuse(`stop the delivery first (it is ${words(state)})`);
  return state === 'deleted' ? refuse('the delivery is already deleted') : to('deleted');
}

/** End of the validity period: the one set on the delivery, else the start plus the default duration. */
export function validityEndFor(startedAt: Date, validityEnd: Date | null, validityDays: number): Date {
  return validityEnd ?? new Date(startedAt.getTime() + validityDays * 86_400_000);
}

/** End of the online resources (mirror page, tracked links): some days after the sending validity (Adobe's web validity). */
export function webValidityEndFor(validityEnd: Date, webValidityDays: number): Date {
  return new Date(validityEnd.getTime() + webValidityDays * 86_400_000);
}
