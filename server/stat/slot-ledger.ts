import { fitting, reserve } from '../shared/gcra.js';
import type { GrantAnswer, GrantRequest, RegisterAnswer, RegisterRequest, StatView } from '../shared/stat-protocol.js';

/**
 * The stat server's pure core: the MTAs registered with it, and per sending IP and throttle key (an
 * MX rule or a domain, as the MTAs' `[[mta.domainRules]]` name it) one GCRA arrival time shared by
 * every MTA of that IP — the same pacing an MTA applies locally (shared/gcra.ts, one second of burst),
 * so the combined traffic of all registered MTAs keeps one set of limits. It also keeps, per MTA and
 * key, the connections the MTA holds and the messages it was granted this minute and the last.
 * No I/O: `now` is passed in, and the server (stat-server.ts) wires it to HTTP.
 */

export interface LedgerOptions {
  /** How far ahead of now a key's arrival time may run (the burst), as in the MTA. */
  burstMs: number;
  /** A registration not renewed within this lapses: the MTA is gone, its share goes to the others. */
  registrationTtlMs: number;
  /** Bounds on what the ledger holds: registered MTAs, and (sending IP, key) pairs. */
  maxMtas: number;
  maxKeys: number;
}

interface Counter {
  minute: number;
  current: number;
  previous: number;
}

interface Registration {
  ip: string;
  connections: Record<string, number>;
  seenMs: number;
  granted: Map<string, Counter>;
}

interface Slot {
  ip: string;
  key: string;
  tat: number;
  /** Each MTA's pacing interval for this key: the strictest (longest) applies to all. */
  intervals: Map<string, number>;
  usedMs: number;
}

export type LedgerRefusal = { refused: 'unregistered' | 'full'; reason: string };

export type SlotView = StatView['slots'][number];

/** A key unused this long is forgotten (two minutes: its last complete minute stays visible). */
export const KEY_IDLE_MS = 120_000;

const slotId = (ip: string, key: string) => `${ip}\n${key}`;

export class SlotLedger {
  private readonly mtas = new Map<string, Registration>();
  private readonly slots = new Map<string, Slot>();

  constructor(private readonly options: LedgerOptions) {}

  register(request: RegisterRequest, nowMs: number): RegisterAnswer | LedgerRefusal {
    this.expire(nowMs);
    const known = this.mtas.get(request.mta);
    if (!known && this.mtas.size >= this.options.maxMtas) return { refused: 'full', reason: `${this.options.maxMtas} MTAs are registered already` };
    this.mtas.set(request.mta, {
      ip: request.ip,
      connections: { ...request.connections },
      seenMs: nowMs,
      granted: known?.ip === request.ip ? known.granted : new Map(),
    });
    return { peers: this.peers(request.ip), ttlMs: this.options.registrationTtlMs };
  }

  /** Live MTAs registered for `ip`. */
  peers(ip: string): number {
    let n = 0;
    for (const r of this.mtas.values()) if (r.ip === ip) n++;
    return n;
  }

  grant(request: GrantRequest, nowMs: number): GrantAnswer | LedgerRefusal {
    const mta = this.mtas.get(request.mta);
    if (!mta || mta.ip !== request.ip || nowMs - mta.seenMs > this.options.registrationTtlMs)
      return { refused: 'unregistered', reason: `${request.mta} is not registered for ${request.ip}` };
    const id = slotId(request.ip, request.key);
    let slot = this.slots.get(id);
    if (!slot) {
      if (this.slots.size >= this.options.maxKeys) this.expire(nowMs);
      if (this.slots.size >= this.options.maxKeys) return { refused: 'full', reason: `${this.options.maxKeys} keys are in use already` };
      slot = { ip: request.ip, key: request.key, tat: 0, intervals: new Map(), usedMs: nowMs };
      this.slots.set(id, slot);
    }
    slot.intervals.set(request.mta, request.intervalMs);
    slot.usedMs = nowMs;
    const intervalMs = Math.max(...slot.intervals.values());
    let granted = request.wanted;
    if (intervalMs > 0) {
      const fits = Math.max(1, fitting(slot.tat, nowMs, request.wanted, intervalMs, this.options.burstMs));
      const r = reserve(slot.tat, nowMs, fits, intervalMs, this.options.burstMs);
      if (!r.ok) return { granted: 0, retryAtMs: nowMs + Math.max(1, Math.ceil(r.waitMs)) };
      slot.tat = r.tat;
      granted = fits;
    }
    this.count(mta, request.key, granted, nowMs);
    return { granted, retryAtMs: 0 };
  }

  /**
   * Drops lapsed registrations (and their intervals), and keys idle for KEY_IDLE_MS or a
   * registration's lifetime, whichever is longer (a key stays in the view while its last minute counts).
   */
  expire(nowMs: number): void {
    const ttl = this.options.registrationTtlMs;
    for (const [name, r] of this.mtas) if (nowMs - r.seenMs > ttl) this.mtas.delete(name);
    for (const [id, slot] of this.slots) {
      for (const name of slot.intervals.keys()) if (!this.mtas.has(name)) slot.intervals.delete(name);
      if (slot.tat <= nowMs && nowMs - slot.usedMs > Math.max(ttl, KEY_IDLE_MS)) this.slots.delete(id);
    }
  }

  /** What each sending IP and key carries now, for `herald status` and the status request. */
  view(nowMs: number): StatView {
    this.expire(nowMs);
    const minute = Math.floor(nowMs / 60_000);
    const slots = [...this.slots.values()].map((slot) => {
      const mtas = [...this.mtas.entries()]
        .filter(([, r]) => r.ip === slot.ip)
        .map(([name, r]) => ({ mta: name, connections: r.connections[slot.key] ?? 0, messagesLastMinute: lastMinute(r.granted.get(slot.key), minute) }))
        .filter((m) => m.connections > 0 || m.messagesLastMinute > 0 || slot.intervals.has(m.mta));
      const intervalMs = Math.max(0, ...slot.intervals.values());
      return {
        ip: slot.ip,
        key: slot.key,
        messagesPerHour: intervalMs > 0 ? Math.round(3_600_000 / intervalMs) : 0,
        connections: mtas.reduce((n, m) => n + m.connections, 0),
        messagesLastMinute: mtas.reduce((n, m) => n + m.messagesLastMinute, 0),
        mtas,
      };
    });
    return { mtas: this.mtas.size, slots: slots.sort((a, b) => a.ip.localeCompare(b.ip) || a.key.localeCompare(b.key)) };
  }

  private count(mta: Registration, key: string, granted: number, nowMs: number): void {
    const minute = Math.floor(nowMs / 60_000);
    const c = mta.granted.get(key) ?? { minute, current: 0, previous: 0 };
    if (c.minute !== minute) {
      c.previous = c.minute === minute - 1 ? c.current : 0;
      c.current = 0;
      c.minute = minute;
    }
    c.current += granted;
    mta.granted.set(key, c);
  }
}

function lastMinute(c: Counter | undefined, minute: number): number {
  if (!c) return 0;
  if (c.minute === minute) return c.previous;
  return c.minute === minute - 1 ? c.current : 0;
}
