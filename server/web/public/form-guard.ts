import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The public forms' own CSRF and bot defence, pure (the console's sessions do not exist here):
 * each form page sets a random browser cookie and carries a token `<render time>.<MAC over the
 * time and the cookie>`. A submit is accepted only with the matching cookie and token (a cross-site
 * page can read neither), at least `minFillSeconds` after the page was shown (bots fill forms
 * instantly), and not older than `maxAgeSeconds`. The honeypot field must stay empty.
 */

export type FormVerdict = 'ok' | 'missing' | 'forged' | 'too_fast' | 'expired';

export interface FormLimits {
  minFillSeconds: number;
  maxAgeSeconds: number;
}

/** The hidden field a human never fills (hidden by CSS, skipped by keyboard and autofill). */
export const HONEYPOT_FIELD = 'website';
export const TOKEN_FIELD = '_form';

const COOKIE_VALUE = /^[A-Za-z0-9_-]{22}$/;

export const newFormCookie = (): string => randomBytes(16).toString('base64url');
export const validFormCookie = (value: string | undefined): value is string => value !== undefined && COOKIE_VALUE.test(value);

const mac = (key: string, seconds: number, cookie: string) =>
  createHmac('sha256', key).update(`public-form|${seconds}|${cookie}`).digest('base64url').slice(0, 32);

export function formToken(key: string, cookie: string, nowSeconds: number): string {
  return `${nowSeconds}.${mac(key, nowSeconds, cookie)}`;
}

export function checkForm(key: string, cookie: string | undefined, token: unknown, nowSeconds: number, limits: FormLimits): FormVerdict {
  if (!validFormCookie(cookie) || typeof token !== 'string') return 'missing';
  const match = /^(\d{1,12})\.([A-Za-z0-9_-]{32})$/.exec(token);
  if (!match) return 'forged';
  const shown = Number(match[1]);
  const expected = Buffer.from(mac(key, shown, cookie));
  if (!timingSafeEqual(expected, Buffer.from(match[2]!))) return 'forged';
  if (nowSeconds - shown > limits.maxAgeSeconds || shown > nowSeconds + 60) return 'expired';
  if (nowSeconds - shown < limits.minFillSeconds) return 'too_fast';
  return 'ok';
}

/** A role address (postmaster@, abuse@…) that must not subscribe through a public form. */
export function isBlockedAddress(email: string, blockedLocalParts: readonly string[]): boolean {
  const local = email.slice(0, email.lastIndexOf('@')).toLowerCase();
  return blockedLocalParts.some((b) => b.toLowerCase() === local);
}
