import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The stat server's protocol, shared by the stat module (server) and the MTA (client): JSON over
 * HTTP POST, each request signed with HMAC-SHA256 of `secrets.statKey` over its time, path and
 * body, so only MTAs holding the key register or take slots. Requests are small and bounded; a
 * request older or newer than MAX_CLOCK_SKEW_MS is refused (a captured request cannot be replayed
 * later). Pure: signing, checking and the shape of every body.
 */

export const STAT_PATHS = { register: '/v1/register', grant: '/v1/grant', status: '/v1/status' } as const;
export const STAT_AUTH_HEADER = 'x-herald-stat';
/** The largest request body the server reads. */
export const MAX_REQUEST_BYTES = 4096;
export const MAX_CLOCK_SKEW_MS = 30_000;
/** A slot is asked for at most this many messages at once (about one second of a fast domain). */
export const MAX_WANTED = 10_000;
/** Connection counts reported per registration (one per throttle key in use). */
export const MAX_KEYS_PER_REGISTRATION = 200;

/** An MTA says who it is, where its mail comes from and how many connections it holds per throttle key. */
export interface RegisterRequest {
  /** The MTA's lease owner name (unique per MTA process across installs). */
  mta: string;
  /** The public IP its mail leaves from (`mta.publicIp`, "default" when unset). */
  ip: string;
  connections: Record<string, number>;
}

export interface RegisterAnswer {
  /** Live MTAs sharing this IP, the MTA included: each takes its share of a rule's connections. */
  peers: number;
  /** How long the registration lives without another one. */
  ttlMs: number;
}

/** Up to `wanted` sending slots for one throttle key at `intervalMs` each (0: not rate limited). */
export interface GrantRequest {
  mta: string;
  ip: string;
  key: string;
  wanted: number;
  intervalMs: number;
}

export interface GrantAnswer {
  granted: number;
  /** When nothing was granted: epoch ms to ask again. */
  retryAtMs: number;
}

/** The status answer: registered MTAs, and per sending IP and key what it carries. */
export interface StatView {
  mtas: number;
  slots: Array<{
    ip: string;
    key: string;
    /** The rate in force (0: not rate limited). */
    messagesPerHour: number;
    connections: number;
    /** Messages granted in the last complete minute, all MTAs together. */
    messagesLastMinute: number;
    mtas: Array<{ mta: string; connections: number; messagesLastMinute: number }>;
  }>;
}

export function sign(key: string, atMs: number, path: string, body: string): string {
  const mac = createHmac('sha256', key).update(`${atMs}\n${path}\n${body}`).digest('hex');
  return `t=${atMs},s=${mac}`;
}

/** Why a request's signature is refused, or undefined when it is good. */
export function checkSignature(key: string, header: string | undefined, path: string, body: string, nowMs: number): string | undefined {
  const m = /^t=(\d{1,15}),s=([0-9a-f]{64})$/.exec(header ?? '');
  if (!m) return 'missing or malformed signature';
  const atMs = Number(m[1]);
  if (Math.abs(nowMs - atMs) > MAX_CLOCK_SKEW_MS) return 'signature time too far from the server clock';
  const expected = Buffer.from(sign(key, atMs, path, body).slice(-64), 'hex');
  return timingSafeEqual(expected, Buffer.from(m[2]!, 'hex')) ? undefined : 'bad signature';
}

const NAME = /^[A-Za-z0-9._:-]{1,60}$/;
const KEY = /^[\x21-\x7e]{1,300}$/;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;

/** A register body, or the reason it is refused. */
export function parseRegister(v: unknown): RegisterRequest | string {
  if (!isObject(v)) return 'expected a JSON object';
  if (typeof v.mta !== 'string' || !NAME.test(v.mta)) return 'mta: expected 1-60 letters, digits or . _ : -';
  if (typeof v.ip !== 'string' || !NAME.test(v.ip)) return 'ip: expected an address or "default"';
  if (!isObject(v.connections)) return 'connections: expected an object';
  const entries = Object.entries(v.connections);
  if (entries.length > MAX_KEYS_PER_REGISTRATION) return `connections: at most ${MAX_KEYS_PER_REGISTRATION} keys`;
  for (const [k, n] of entries) if (!KEY.test(k) || !isCount(n, 100_000)) return `connections.${k.slice(0, 40)}: expected a count`;
  return { mta: v.mta, ip: v.ip, connections: v.connections as Record<string, number> };
}

/** A grant body, or the reason it is refused. */
export function parseGrant(v: unknown): GrantRequest | string {
  if (!isObject(v)) return 'expected a JSON object';
  if (typeof v.mta !== 'string' || !NAME.test(v.mta)) return 'mta: expected 1-60 letters, digits or . _ : -';
  if (typeof v.ip !== 'string' || !NAME.test(v.ip)) return 'ip: expected an address or "default"';
  if (typeof v.key !== 'string' || !KEY.test(v.key)) return 'key: expected a throttle key';
  if (!isCount(v.wanted, MAX_WANTED) || v.wanted < 1) return `wanted: expected 1 to ${MAX_WANTED}`;
  if (typeof v.intervalMs !== 'number' || !Number.isFinite(v.intervalMs) || v.intervalMs < 0 || v.intervalMs > 86_400_000)
    return 'intervalMs: expected 0 to 86400000';
  return { mta: v.mta, ip: v.ip, key: v.key, wanted: v.wanted, intervalMs: v.intervalMs };
}
