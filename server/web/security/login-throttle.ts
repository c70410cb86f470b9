/**
 * Login throttling rules, pure. Failed logins are counted per key in a fixed window; a login whose
 * key has reached its limit is refused before the password is hashed (hashing is the expensive
 * part an attacker would otherwise use). Counters reset when their window ends: no lockout is
 * permanent. A browser that logged in to the account before (a signed device cookie) is counted on
 * its own key instead of the account-wide one, so an attack on an account does not lock its owner out.
 */

export interface ThrottleLimits {
  windowMs: number;
  perAccountIp: number;
  perAccount: number;
  perIp: number;
}

export type ThrottleScope = 'account_ip' | 'account' | 'ip' | 'device';

export interface ThrottleKey {
  scope: ThrottleScope;
  key: string;
  max: number;
}

export function throttleKeys(login: string, ip: string, knownDevice: string | undefined, limits: ThrottleLimits): ThrottleKey[] {
  const account = login.trim().toLowerCase().slice(0, 64);
  const keys: ThrottleKey[] = [
    { scope: 'account_ip', key: `ai:${account}|${ip}`, max: limits.perAccountIp },
    { scope: 'ip', key: `ip:${ip}`, max: limits.perIp },
  ];
  keys.push(
    knownDevice ? { scope: 'device', key: `d:${knownDevice}`, max: limits.perAccountIp } : { scope: 'account', key: `a:${account}`, max: limits.perAccount },
  );
  return keys;
}

export interface Counter {
  key: string;
  windowStart: Date;
  failures: number;
}

/** The first key at its limit in its current window, with the seconds until that window ends. */
export function blockedBy(
  keys: readonly ThrottleKey[],
  counters: readonly Counter[],
  now: Date,
  windowMs: number,
): { scope: ThrottleScope; retryAfterSeconds: number } | undefined {
  for (const k of keys) {
    const c = counters.find((x) => x.key === k.key);
    if (!c) continue;
    const ends = c.windowStart.getTime() + windowMs;
    if (ends > now.getTime() && c.failures >= k.max) return { scope: k.scope, retryAfterSeconds: Math.ceil((ends - now.getTime()) / 1000) };
  }
  return undefined;
}
