import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { MAX_USER_AGENT } from '../shared/tracking-protocol/hit.js';

/** What the hit log records about the client: address, user agent and the optional person cookie. */

/** The client address: the socket's, or the last X-Forwarded-For entry when a trusted proxy sets it. */
export function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  let ip = req.socket.remoteAddress ?? '';
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const list = Array.isArray(forwarded) ? forwarded.join(',') : forwarded;
    const last = list?.split(',').at(-1)?.trim();
    if (last) ip = last;
  }
  return (ip.startsWith('::ffff:') ? ip.slice(7) : ip).slice(0, 64);
}

export function userAgent(req: IncomingMessage): string {
  const ua = req.headers['user-agent'];
  return ua === undefined ? '' : ua.length > MAX_USER_AGENT ? ua.slice(0, MAX_USER_AGENT) : ua;
}

const PERSON_COOKIE = 'hpid';
const COOKIE = /(?:^|;\s*)hpid=([0-9a-f-]{36})(?:;|$)/;

export interface PersonCookie {
  id: string;
  /** Set-Cookie value when the browser had none. */
  setCookie?: string;
}

/**
 * The person cookie (Adobe's uuid230): a random id that tells browsers apart, so forwards can be
 * estimated. Only used when tracking.personCookie is on.
 */
export function personCookie(req: IncomingMessage, secure: boolean): PersonCookie {
  const found = req.headers.cookie ? COOKIE.exec(req.headers.cookie)?.[1] : undefined;
  if (found) return { id: found };
  const id = randomUUID();
  return { id, setCookie: `${PERSON_COOKIE}=${id}; Max-Age=31536000; Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}` };
}
