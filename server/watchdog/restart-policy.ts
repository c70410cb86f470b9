import { EXIT } from '../shared/exit-codes.js';

/**
 * When to restart a module that ended without being asked to (pure: times are passed in).
 *
 * - Exponential backoff: the n-th consecutive crash waits backoffInitialMs × backoffFactorⁿ, capped at
 *   backoffMaxMs (100 ms × 1.5ⁿ up to 15 s by default, as PM2).
 * - A process that ran stableAfterMs or longer after it became ready starts the backoff over (one
 *   that never got ready never counts as stable, however long it tried).
 * - crashLoopCount crashes within crashLoopWindowMs: the module is crash-looping; it is restarted only
 *   once per crashLoopRestartDelayMs (Postfix's throttle) and never given up on.
 * - Exit code 78 (config error) is never restarted: restarting cannot fix a config.
 */

export interface RestartPolicy {
  backoffInitialMs: number;
  backoffFactor: number;
  backoffMaxMs: number;
  stableAfterMs: number;
  crashLoopCount: number;
  crashLoopWindowMs: number;
  crashLoopRestartDelayMs: number;
}

export interface CrashHistory {
  /** Crashes since the module last ran stable. */
  readonly consecutive: number;
  /** When the crashes inside the crash-loop window happened (ms). */
  readonly crashes: readonly number[];
  readonly crashLooping: boolean;
}

export const NO_CRASHES: CrashHistory = { consecutive: 0, crashes: [], crashLooping: false };

export interface UnexpectedExit {
  code: number | null;
  /** When the process that ended reported ready (undefined: never), and when it ended (ms). */
  readyAt: number | undefined;
  now: number;
}

export type ExitDecision =
  | { action: 'restart'; delayMs: number; history: CrashHistory; enteredCrashLoop: boolean }
  | { action: 'give-up'; reason: 'config-error'; history: CrashHistory };

/** The delay before restarting after `consecutive` earlier crashes. */
export function backoffDelay(consecutive: number, policy: RestartPolicy): number {
  return Math.min(policy.backoffMaxMs, Math.round(policy.backoffInitialMs * policy.backoffFactor ** consecutive));
}

export function decideRestart(history: CrashHistory, exit: UnexpectedExit, policy: RestartPolicy): ExitDecision {
  if (exit.code === EXIT.CONFIG) return { action: 'give-up', reason: 'config-error', history };
  const stable = exit.readyAt !== undefined && exit.now - exit.readyAt >= policy.stableAfterMs;
  const consecutive = stable ? 0 : history.consecutive;
  const wasLooping = stable ? false : history.crashLooping;
  const crashes = [...history.crashes.filter((t) => exit.now - t < policy.crashLoopWindowMs), exit.now];
  const crashLooping = crashes.length >= policy.crashLoopCount;
  const delayMs = crashLooping ? Math.max(policy.crashLoopRestartDelayMs, backoffDelay(consecutive, policy)) : backoffDelay(consecutive, policy);
  return {
    action: 'restart',
    delayMs,
    history: { consecutive: consecutive + 1, crashes, crashLooping },
    enteredCrashLoop: crashLooping && !wasLooping,
  };
}
