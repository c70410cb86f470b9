import { randomBytes } from 'node:crypto';
import type { TrackingUrlType } from '../glossary.js';

/**
 * One open or click as the tracking server logs it: a JSON line in its hit log, shipped as is to
 * the ingest job. Short keys keep the log small.
 */
export interface Hit {
  /** Unique id (see hitIds): ingesting a hit twice stores it once. */
  id: string;
  /** Milliseconds since the epoch. */
  t: number;
  /** Delivery, broad log and tracking URL ids from the verified token. */
  d: number;
  b: number;
  u: number;
  /** The tracking URL type (open for the pixel). */
  k: TrackingUrlType;
  ip: string;
  /** User agent, at most 512 characters. */
  ua: string;
  /** The person cookie, when personCookie is on and the browser has one. */
  s?: string;
}

export const MAX_USER_AGENT = 512;

/**
 * The log line of a hit: the same text as JSON.stringify(hit) + newline, built directly (this runs
 * on every click). Ids, type and numbers need no escaping; address, user agent and cookie do.
 */
export function hitLine(hit: Hit): string {
  const person = hit.s === undefined ? '' : `,"s":${JSON.stringify(hit.s)}`;
  return `{"id":"${hit.id}","t":${hit.t},"d":${hit.d},"b":${hit.b},"u":${hit.u},"k":"${hit.k}","ip":${JSON.stringify(hit.ip)},"ua":${JSON.stringify(hit.ua)}${person}}\n`;
}

/**
 * Unique hit ids without a random draw per hit: a random 96-bit prefix drawn when the server
 * starts, then a counter (`<prefix>.<base36 counter>`, at most 30 characters).
 */
export function hitIds(): () => string {
  const prefix = randomBytes(12).toString('base64url');
  let counter = 0;
  return () => `${prefix}.${(counter++).toString(36)}`;
}
