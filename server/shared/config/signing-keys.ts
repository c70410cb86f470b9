import type { Keys } from '../tokens.js';
import type { HeraldConfig } from './schema.js';

/**
 * The keys that verify signed tokens: the current one, and the one before a rotation when it is
 * set (links in mail already sent keep working). Signing always uses the current key.
 */
export const trackingKeys = (secrets: HeraldConfig['secrets']): Keys => ({ current: secrets.trackingKey, previous: secrets.previousTrackingKey || undefined });

export const bounceKeys = (secrets: HeraldConfig['secrets']): Keys => ({ current: secrets.bounceKey, previous: secrets.previousBounceKey || undefined });
