import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * CSRF defence of the console, pure: a synchronizer token derived from the session (HMAC with
 * secrets.sessionKey, so nothing extra is stored) and a pre-login token bound to a random cookie for
 * the login form. The browser's own signals (Origin, Sec-Fetch-Site) are read by
 * shared/cross-site.ts, which the REST API uses too.
 */

const mac = (key: string, purpose: string, value: string) => createHmac('sha256', key).update(`${purpose}|${value}`).digest('base64url');

export const sessionCsrfToken = (key: string, sessionIdHash: string): string => mac(key, 'csrf', sessionIdHash);

export const preLoginCsrfToken = (key: string, preLoginValue: string): string => mac(key, 'pre-login', preLoginValue);

export function tokensMatch(expected: string, given: unknown): boolean {
  if (typeof given !== 'string' || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

/** Methods that never change data (and so carry no token). */
export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
