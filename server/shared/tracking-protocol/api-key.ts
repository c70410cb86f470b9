import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { HeraldConfig } from '../config/schema.js';

/**
 * The bearer key of the tracking servers' API (URL pushes, log shipping): secrets.trackingApiKey,
 * or, when it is empty, a key derived from trackingKey (every Herald host has that one).
 */
export function trackingApiKey(secrets: HeraldConfig['secrets']): string {
  return secrets.trackingApiKey || createHmac('sha256', secrets.trackingKey).update('herald:tracking-api').digest('base64url');
}

/** Constant-time check of an `Authorization: Bearer <key>` header. */
export function isAuthorized(header: string | undefined, key: string): boolean {
  if (!header?.startsWith('Bearer ')) return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(header.slice(7).trim()), digest(key));
}
