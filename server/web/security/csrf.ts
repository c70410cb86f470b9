import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * CSRF defence, pure: a synchronizer token derived from the session (HMAC with secrets.sessionKey,
 * so nothing extra is stored), a pre-login token bound to a random cookie for the login form, and
 * the browser's own signals (Origin, Sec-Fetch-Site) refused when they name another site.
 */

const mac = (key: string, purpose: string, value: string) => createHmac('sha256', key).update(`${purpose}|${value}`).digest('base64url');

export const sessionCsrfToken = (key: string, sessionIdHash: string): string => mac(key, 'csrf', sessionIdHash);

export const preLoginCsrfToken = (key: string, preLoginValue: string): string => mac(key, 'pre-login', preLoginValue);

export function tokensMatch(expected: string, given: unknown): boolean {
  if (typeof given !== 'string' || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

/** Why a state-changing request looks cross-site, or undefined when it does not. */
export function crossSiteReason(headers: { origin?: string; secFetchSite?: string }, allowedOrigins: readonly string[]): string | undefined {
  if (headers.secFetchSite && !['same-origin', 'none'].includes(headers.secFetchSite)) return `Sec-Fetch-Site ${headers.secFetchSite}`;
  if (headers.origin !== undefined && !allowedOrigins.includes(headers.origin)) return 'foreign Origin';
  return undefined;
}

/** Methods that never change data (and so carry no token). */
export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
