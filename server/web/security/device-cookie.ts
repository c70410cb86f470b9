import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The device cookie: proof that this browser logged in to an account before
 * (`<login base64url>.<expiry epoch s>.<HMAC>`, signed with secrets.sessionKey). Its id (a prefix
 * of the MAC) names the browser's own login-throttle counter.
 */

const sign = (key: string, payload: string) => createHmac('sha256', key).update(`device|${payload}`).digest('base64url');

export function issueDeviceCookie(key: string, login: string, expires: Date): string {
  const payload = `${Buffer.from(login).toString('base64url')}.${Math.floor(expires.getTime() / 1000)}`;
  return `${payload}.${sign(key, payload)}`;
}

export function readDeviceCookie(key: string, value: string | undefined, now: Date): { login: string; id: string } | undefined {
  if (!value || value.length > 300) return undefined;
  const [login, expiry, mac] = value.split('.');
  if (!login || !expiry || !mac || !/^\d+$/.test(expiry)) return undefined;
  const expected = sign(key, `${login}.${expiry}`);
  if (mac.length !== expected.length || !timingSafeEqual(Buffer.from(mac), Buffer.from(expected))) return undefined;
  if (Number(expiry) * 1000 <= now.getTime()) return undefined;
  return { login: Buffer.from(login, 'base64url').toString('utf8'), id: mac.slice(0, 22) };
}
