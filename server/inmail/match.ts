import { decodeRecipientToken, parseMessageId, parseVerpAddress, type Keys, type RecipientClaims, type VerpIds } from '../shared/tokens.js';

/**
 * Which message a bounce is about, from signed identifiers only. The envelope recipient comes
 * first: a VERP address (`<prefix>+<ids>-<mac>@<bounce domain>`) whose signature checks gives the
 * broad log; one whose signature fails marks the bounce forged, and nothing else in it is
 * trusted. Without a VERP token, the signed Message-ID or VERP return path found in the returned
 * original is used. `<prefix>+unsubscribe-<recipient token>` addresses are unsubscribe requests.
 * Pure.
 */

export type Match =
  | { kind: 'verp'; ids: VerpIds }
  | { kind: 'reference'; ids: VerpIds }
  | { kind: 'unsubscribe'; claims: RecipientClaims }
  | { kind: 'forged'; reason: string; unsubscribe?: boolean }
  | { kind: 'none' };

export interface MatchKeys {
  bounceKey: Keys;
  trackingKey: Keys;
  bounceDomain: string;
  verpPrefix: string;
}

function split(address: string): { local: string; domain: string } {
  const at = address.lastIndexOf('@');
  return { local: at > 0 ? address.slice(0, at) : address, domain: at > 0 ? address.slice(at + 1).toLowerCase() : '' };
}

function fromRecipient(address: string, keys: MatchKeys, nowSeconds: number): Match | undefined {
  const { local, domain } = split(address);
  const prefix = `${keys.verpPrefix.toLowerCase()}+`;
  if (domain !== keys.bounceDomain.toLowerCase() || !local.toLowerCase().startsWith(prefix)) return undefined;
  const token = local.slice(prefix.length);
  if (/^unsubscribe-/i.test(token)) {
    const claims = decodeRecipientToken(keys.trackingKey, token.slice('unsubscribe-'.length), nowSeconds);
    if (claims?.purpose === 'unsubscribe') return { kind: 'unsubscribe', claims };
    return { kind: 'forged', reason: 'unsubscribe address with an invalid or expired token', unsubscribe: true };
  }
  const ids = parseVerpAddress(keys.bounceKey, address, keys.verpPrefix);
  return ids ? { kind: 'verp', ids } : { kind: 'forged', reason: 'VERP address with an invalid signature' };
}

function fromReferences(references: readonly string[], keys: MatchKeys): Match | undefined {
  for (const reference of references) {
    const ids = reference.startsWith('h.') ? parseMessageId(keys.bounceKey, reference) : parseVerpAddress(keys.bounceKey, reference, keys.verpPrefix);
    if (ids) return { kind: 'reference', ids };
  }
  return undefined;
}

export function matchMessage(rcptTo: readonly string[], references: readonly string[], keys: MatchKeys, nowSeconds: number): Match {
  let forged: Match | undefined;
  for (const address of rcptTo) {
    const match = fromRecipient(address, keys, nowSeconds);
    if (match?.kind === 'forged') forged ??= match;
    else if (match) return match;
  }
  return forged ?? fromReferences(references, keys) ?? { kind: 'none' };
}
