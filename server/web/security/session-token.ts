import { createHash, randomBytes } from 'node:crypto';

/**
 * Session ids and cookies. A session id is 256 random bits, sent only in an httpOnly cookie; the
 * database keeps its SHA-256, so a leaked sessions table gives no usable cookie.
 */

export const newSessionId = (): string => randomBytes(32).toString('base64url');

export const hashSessionId = (id: string): string => createHash('sha256').update(id).digest('hex');

/** A session id as sent by a browser: 43 base64url characters (anything else is ignored unread). */
export const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

export interface CookieNames {
  session: string;
  preLogin: string;
  device: string;
}

/** `__Host-` cookies (Secure, Path=/, no Domain) when the console is served over HTTPS. */
export function cookieNames(secure: boolean): CookieNames {
  const prefix = secure ? '__Host-' : '';
  return { session: `${prefix}herald-sid`, preLogin: `${prefix}herald-pre`, device: `${prefix}herald-device` };
}

export interface CookieOptions {
  secure: boolean;
  /** Seconds until the browser drops the cookie; absent: until the browser closes; 0: delete now. */
  maxAge?: number;
  sameSite?: 'Lax' | 'Strict';
}

/** One Set-Cookie header value: always httpOnly and Path=/. */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [`${name}=${value}`, 'Path=/', 'HttpOnly', `SameSite=${options.sameSite ?? 'Lax'}`];
  if (options.secure) parts.push('Secure');
  if (options.maxAge !== undefined) parts.push(`Max-Age=${Math.max(0, Math.floor(options.maxAge))}`);
  return parts.join('; ');
}
