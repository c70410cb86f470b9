import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * REST API keys and scopes, pure. A key reads `hk_<prefix>_<secret>`: the prefix (10 characters)
 * finds the stored key, the secret (256 random bits) is checked against its SHA-256 (a slow hash
 * adds nothing to a secret that long). The full key is shown once, when it is created.
 */

export const SCOPES = [
  'recipients:read',
  'recipients:write',
  'lists:read',
  'lists:write',
  'deliveries:read',
  'deliveries:write',
  'events:read',
  'events:write',
  'quarantine:read',
  'quarantine:write',
  'workflows:write',
] as const;
export type Scope = (typeof SCOPES)[number];

const KEY = /^hk_([a-z0-9]{10})_([A-Za-z0-9_-]{43})$/;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export function generateApiKey(): { key: string; prefix: string; secretHash: string } {
  const prefix = [...randomBytes(10)].map((b) => ALPHABET[b % ALPHABET.length]).join('');
  const secret = randomBytes(32).toString('base64url');
  return { key: `hk_${prefix}_${secret}`, prefix, secretHash: hashSecret(secret) };
}

export function parseApiKey(text: string): { prefix: string; secret: string } | undefined {
  const m = KEY.exec(text.trim());
  return m ? { prefix: m[1]!, secret: m[2]! } : undefined;
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const given = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/** `x:write` includes `x:read`. */
export function hasScope(granted: readonly string[], needed: Scope): boolean {
  return granted.includes(needed) || (needed.endsWith(':read') && granted.includes(needed.replace(/:read$/, ':write')));
}

/** A comma-separated scope list ("all" for every scope); throws the unknown ones back. */
export function parseScopes(text: string): Scope[] {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 1 && items[0] === 'all') return [...SCOPES];
  const unknown = items.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0 || items.length === 0)
    throw new RangeError(`scopes are a comma-separated list of: ${SCOPES.join(', ')} (or "all")${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`);
  return [...new Set(items)] as Scope[];
}
