/**
 * Login throttling rules, pure, after OWASP's guidance (Authentication and Credential Stuffing cheat
 * sheets, "device cookies"). Failed logins are counted per key in a fixed window; a login whose key
 * has reached its limit is refused before the password is hashed (hashing is the expensive part an
 * attacker would otherwise use). Counters reset when their window ends: no lockout is permanent.
 *
 * - account + address: guessing one account from one address. Counted for every login name, real
 *   or not, so that the answers do not tell which accounts exist.
 * - address: guessing across accounts (password spraying) from one address.
 * - account: guessing one account from many addresses. Only for accounts that exist: a name nobody
 *   has cannot be locked, and made-up names leave no counters behind.
 * - device: a browser that logged in to the account before carries a signed device cookie. It is
 *   checked on its own key only, so neither an attack on the account nor failures of other clients
 *   of its address (failed logins against made-up accounts from a shared office or proxy address)
 *   lock its owner out; its own failures are still limited, and still count for the address.
 *
 * A browser never used for the account, behind an address under attack, waits until the window
 * ends: letting a correct password through an address block would let a sprayer go on unhindered.
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

export interface LoginAttempt {
  login: string;
  ip: string;
  /** An operator with this login exists. */
  accountExists: boolean;
  /** The id of a valid device cookie issued for this login, if the browser has one. */
  knownDevice?: string;
}

export interface ThrottlePlan {
  /** Keys checked before the password is hashed. */
  check: ThrottleKey[];
  /** Keys that count a failure. */
  count: string[];
  /** Keys reset by a successful login. */
  clearOnSuccess: string[];
}

export function throttlePlan(attempt: LoginAttempt, limits: ThrottleLimits): ThrottlePlan {
  const account = attempt.login.trim().toLowerCase().slice(0, 64);
  const accountIp: ThrottleKey = { scope: 'account_ip', key: `ai:${account}|${attempt.ip}`, max: limits.perAccountIp };
  const ip: ThrottleKey = { scope: 'ip', key: `ip:${attempt.ip}`, max: limits.perIp };
  if (attempt.accountExists && attempt.knownDevice) {
    const device: ThrottleKey = { scope: 'device', key: `d:${attempt.knownDevice}`, max: limits.perAccountIp };
    return { check: [device], count: [device.key, ip.key], clearOnSuccess: [device.key, accountIp.key] };
  }
  const check = attempt.accountExists ? [accountIp, ip, { scope: 'account' as const, key: `a:${account}`, max: limits.perAccount }] : [accountIp, ip];
  return { check, count: check.map((k) => k.key), clearOnSuccess: [accountIp.key] };
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
