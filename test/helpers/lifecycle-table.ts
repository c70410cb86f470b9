import * as lifecycle from '../../server/delivery/lifecycle.js';
import type { DeliveryState } from '../../server/shared/glossary.js';

/**
 * The delivery transition table: for every lifecycle transition, the states it accepts and where
 * each goes; every other state is refused. The pure lifecycle test and the state writer's test
 * (real database) both run every state through every row.
 */

export const now = new Date('2026-03-01T10:00:00Z');
export const later = new Date('2026-03-02T10:00:00Z');
export const earlier = new Date('2026-02-28T10:00:00Z');

export type Case = [name: string, run: (s: DeliveryState) => lifecycle.Transition, allowed: Partial<Record<DeliveryState, DeliveryState>>];

const startFacts = { now, scheduledAt: null, validityEnd: null, toDeliver: 10, blockingErrors: 0 };

export const TRANSITION_TABLE: Case[] = [
  ['edit', lifecycle.edit, { editing: 'editing', targeting_pending: 'editing', ready: 'editing', failed: 'editing' }],
  ['scheduleAnalysis', lifecycle.scheduleAnalysis, { editing: 'targeting_pending', ready: 'targeting_pending', failed: 'targeting_pending' }],
  ['beginAnalysis', (s) => lifecycle.beginAnalysis(s), { editing: 'analysing', targeting_pending: 'analysing', ready: 'analysing', failed: 'analysing' }],
  [
    'beginAnalysis --force',
    (s) => lifecycle.beginAnalysis(s, true),
    { editing: 'analysing', targeting_pending: 'analysing', ready: 'analysing', failed: 'analysing', analysing: 'analysing' },
  ],
  ['endAnalysis without errors', (s) => lifecycle.endAnalysis(s, 0), { analysing: 'ready' }],
  ['endAnalysis with errors', (s) => lifecycle.endAnalysis(s, 2), { analysing: 'editing' }],
  ['failAnalysis', lifecycle.failAnalysis, { analysing: 'failed' }],
  ['start', (s) => lifecycle.start({ ...startFacts, state: s }), { ready: 'start_pending' }],
  ['start at a later contact date', (s) => lifecycle.start({ ...startFacts, state: s, scheduledAt: later }), { ready: 'scheduled' }],
  ['releaseScheduled', (s) => lifecycle.releaseScheduled(s, earlier, now), { scheduled: 'start_pending' }],
  ['beginSending', lifecycle.beginSending, { start_pending: 'in_progress' }],
  ['awaitRetries', lifecycle.awaitRetries, { in_progress: 'recovery_pending', recovery_in_progress: 'recovery_pending' }],
  ['beginRecovery', lifecycle.beginRecovery, { recovery_pending: 'recovery_in_progress' }],
  [
    'finish',
    lifecycle.finish,
    {
      scheduled: 'finished',
      start_pending: 'finished',
      in_progress: 'finished',
      recovery_pending: 'finished',
      recovery_in_progress: 'finished',
      pause_requested: 'finished',
      paused: 'finished',
    },
  ],
  [
    'pause',
    lifecycle.pause,
    {
      scheduled: 'paused',
      start_pending: 'paused',
      in_progress: 'pause_requested',
      recovery_pending: 'pause_requested',
      recovery_in_progress: 'pause_requested',
    },
  ],
  ['pauseTaken', lifecycle.pauseTaken, { pause_requested: 'paused' }],
  ['resume', (s) => lifecycle.resume(s, later, now), { paused: 'start_pending', pause_requested: 'start_pending' }],
  [
    'stop',
    lifecycle.stop,
    {
      scheduled: 'stopped',
      start_pending: 'stopped',
      in_progress: 'stopped',
      recovery_pending: 'stopped',
      recovery_in_progress: 'stopped',
      pause_requested: 'stopped',
      paused: 'stopped',
    },
  ],
  [
    'fail',
    lifecycle.fail,
    {
      scheduled: 'failed',
      start_pending: 'failed',
      in_progress: 'failed',
      recovery_pending: 'failed',
      recovery_in_progress: 'failed',
      pause_requested: 'failed',
      paused: 'failed',
    },
  ],
  [
    'remove',
    lifecycle.remove,
    { editing: 'deleted', targeting_pending: 'deleted', ready: 'deleted', stopped: 'deleted', finished: 'deleted', failed: 'deleted' },
  ],
];
