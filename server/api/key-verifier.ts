import type { Database } from '../db/connect.js';
import { findApiKeyByPrefix, touchApiKey, type ApiKeyRow } from '../db/repos/api-keys.js';
import { describeError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { parseApiKey, secretMatches } from './api-keys.js';
import { ApiError, type ApiKeyIdentity } from './route.js';

/**
 * Checks the `Authorization: Bearer hk_…` header of an API request. Stored keys are remembered for
 * `cacheMs` (a revoked key stops working within that time); the last use is written at most once a
 * minute per key. Every refusal is the same 401 for the caller; the log says why.
 */

const TOUCH_EVERY_MS = 60_000;

export interface VerifierDeps {
  db: Database;
  log: Logger;
  clock: () => Date;
  cacheMs: number;
}

export class KeyVerifier {
  private readonly cache = new Map<string, { row: ApiKeyRow | undefined; until: number }>();
  private readonly touched = new Map<number, number>();

  constructor(private readonly deps: VerifierDeps) {}

  async verify(authorization: string, ip: string): Promise<ApiKeyIdentity> {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization.trim())?.[1];
    const parsed = token ? parseApiKey(token) : undefined;
    if (!parsed) return this.refuse(undefined, authorization ? 'malformed key' : 'no key', ip);
    const row = await this.lookup(parsed.prefix);
    const now = this.deps.clock();
    if (!row || !secretMatches(parsed.secret, row.secretHash)) return this.refuse(parsed.prefix, 'unknown key', ip);
    if (row.revokedAt) return this.refuse(parsed.prefix, 'revoked key', ip);
    if (row.expiresAt && row.expiresAt <= now) return this.refuse(parsed.prefix, 'expired key', ip);
    this.touch(row.id, now);
    return { id: row.id, name: row.name, scopes: row.scopes, operatorId: row.operatorId };
  }

  private async lookup(prefix: string): Promise<ApiKeyRow | undefined> {
    const nowMs = Date.now();
    const hit = this.cache.get(prefix);
    if (hit && hit.until > nowMs) return hit.row;
    const row = await findApiKeyByPrefix(this.deps.db, prefix);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(prefix, { row, until: nowMs + this.deps.cacheMs });
    return row;
  }

  private touch(id: number, now: Date): void {
    if ((this.touched.get(id) ?? 0) + TOUCH_EVERY_MS > now.getTime()) return;
    this.touched.set(id, now.getTime());
    touchApiKey(this.deps.db, id, now).catch((err: unknown) =>
      this.deps.log.warn('API_REQUEST_FAILED', { method: 'touch', path: 'api_keys', err: describeError(err) }),
    );
  }

  private refuse(prefix: string | undefined, reason: string, ip: string): never {
    this.deps.log.warn('API_AUTH_FAILED', { prefix, reason, ip });
    throw new ApiError(401, 'UNAUTHORIZED', 'a valid API key is required (Authorization: Bearer hk_…)');
  }
}
