/**
 * The short back-off after a connection-level failure (DNS, connection refused or timed out,
 * greeting refused, a 421 at any stage), per destination — the hosts a message goes to (a
 * domain's MX hosts, a route or the relay), so domains sharing servers share the back-off. Postfix's dead-destination cache,
 * in memory: while a destination backs off, its messages wait unattempted; when the wait is over,
 * one message probes it; the probe reaching the server ends the back-off, its failure lengthens
 * the wait (the steps of `mta.domainBackoffSec`, the last one repeating). No clock of its own: `now`
 * is passed in (epoch ms).
 */

export type Gate = { kind: 'open' } | { kind: 'probe' } | { kind: 'wait'; untilMs: number };

interface State {
  step: number;
  untilMs: number;
  /** A probe is on its way. */
  probing: boolean;
  sinceMs: number;
}

/** How long messages wait while the single probe of a destination is on its way. */
export const PROBE_WAIT_MS = 1000;

export class DomainBackoff {
  private readonly states = new Map<string, State>();

  constructor(private stepsSec: readonly number[]) {}

  setSteps(stepsSec: readonly number[]): void {
    this.stepsSec = stepsSec;
  }

  /** Whether a message to `key` may go: freely, as the probe (then call `started`), or not before `untilMs`. */
  gate(key: string, nowMs: number): Gate {
    const s = this.states.get(key);
    if (!s) return { kind: 'open' };
    if (nowMs < s.untilMs) return { kind: 'wait', untilMs: s.untilMs };
    if (s.probing) return { kind: 'wait', untilMs: nowMs + PROBE_WAIT_MS };
    return { kind: 'probe' };
  }

  /** The probe admitted by `gate` is on its way. */
  started(key: string): void {
    const s = this.states.get(key);
    if (s) s.probing = true;
  }

  /**
   * A connection to `key` failed: returns when the destination may be tried again. A failure seen
   * while the back-off already runs (a message that was on its way before it began) changes nothing.
   */
  failed(key: string, nowMs: number): { retryAtMs: number; started: boolean } {
    const s = this.states.get(key);
    if (s && nowMs < s.untilMs && !s.probing) return { retryAtMs: s.untilMs, started: false };
    const step = s ? Math.min(s.step + 1, this.stepsSec.length - 1) : 0;
    const untilMs = nowMs + (this.stepsSec[step] ?? 0) * 1000;
    this.states.set(key, { step, untilMs, probing: false, sinceMs: s?.sinceMs ?? nowMs });
    return { retryAtMs: untilMs, started: !s };
  }

  /** A message reached the server of `key`: its back-off ends. Returns how long it lasted, if there was one. */
  reached(key: string, nowMs: number): number | undefined {
    const s = this.states.get(key);
    if (!s) return undefined;
    this.states.delete(key);
    return nowMs - s.sinceMs;
  }

  /** Destinations backing off now, for status. */
  active(): number {
    return this.states.size;
  }
}
