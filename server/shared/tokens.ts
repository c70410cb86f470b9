import { createHmac, timingSafeEqual } from 'node:crypto';
import { HmacSha256 } from './hmac-sha256.js';

/**
 * Signed identifiers carried in links and addresses. Pure: keys are passed in, nothing is stored.
 *
 * - tracking token  `/r/<token>` `/o/<token>` `/m/<token>`: ids of delivery, broad log and tracking
 *   URL, plus an HMAC over the ids and the per-recipient parameter values (base64url).
 * - VERP token       `bounce+<token>@<bounce domain>`: broad log and delivery ids with an HMAC, in
 *   lower-case base32 because mail servers may change the case of a local part.
 * - recipient token  `/u/<token>` (unsubscribe, preferences, confirmation): recipient id, purpose,
 *   optional service id and expiry, and the message it came in (delivery, broad log) when there is
 *   one, with an HMAC (base64url).
 *
 * MACs are HMAC-SHA256 truncated to 96 bits (tracking, recipient) or 80 bits (VERP, to keep local
 * parts short); each kind of token uses its own key derived from the configured secret, so a token
 * of one kind never verifies as another. Verification accepts the previous key too, for rotation.
 */

const VERSION = 1;

export type Keys = { current: string; previous?: string };

/** Derived keys, cached with their pad states: deriving one costs more than the MAC itself, on every click. */
const subkeys = new Map<string, Map<string, HmacSha256>>();

function subkey(secret: string, purpose: string): HmacSha256 {
  let byPurpose = subkeys.get(secret);
  if (!byPurpose) {
    if (subkeys.size >= 16) subkeys.clear();
    subkeys.set(secret, (byPurpose = new Map()));
  }
  let key = byPurpose.get(purpose);
  if (!key) byPurpose.set(purpose, (key = new HmacSha256(createHmac('sha256', secret).update(`herald:${purpose}`).digest())));
  return key;
}

function mac(secret: string, purpose: string, data: Buffer, bytes: number): Buffer {
  return subkey(secret, purpose).digest(data).subarray(0, bytes);
}

function verifyMac(keys: Keys, purpose: string, data: Buffer, given: Buffer, bytes: number): boolean {
  if (given.length !== bytes) return false;
  if (keys.current && timingSafeEqual(given, mac(keys.current, purpose, data, bytes))) return true;
  return !!keys.previous && timingSafeEqual(given, mac(keys.previous, purpose, data, bytes));
}

// ---- unsigned varints: compact ids ------------------------------------------------------------

function writeVarints(values: readonly number[]): Buffer {
  const out: number[] = [];
  for (const value of values) {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`token ids must be non-negative integers, got ${value}`);
    let v = value;
    while (v >= 0x80) {
      out.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    out.push(v);
  }
  return Buffer.from(out);
}

function readVarints(buf: Buffer, count: number): number[] | undefined {
  const values: number[] = [];
  let pos = 0;
  for (let i = 0; i < count; i++) {
    let value = 0;
    let scale = 1;
    for (;;) {
      if (pos >= buf.length || scale > 2 ** 49) return undefined;
      const byte = buf[pos++]!;
      value += (byte & 0x7f) * scale;
      scale *= 0x80;
      if (byte < 0x80) break;
    }
    values.push(value);
  }
  return pos === buf.length ? values : undefined;
}

// ---- tracking tokens ----------------------------------------------------------------------------

export interface TrackingIds {
  deliveryId: number;
  broadLogId: number;
  /** The tracking URL row (click, opt-out, mirror) or the delivery's open URL. */
  urlId: number;
}

const TRACKING_MAC = 12;

function trackingData(payload: Buffer, params: readonly string[], tag: string | undefined): Buffer {
  const signed = tag ? Buffer.concat([Buffer.from(`${tag}\u001e`, 'ascii'), payload]) : payload;
  if (params.length === 0) return signed;
  let text = '';
  for (const p of params) text += `\u001f${p}`;
  return Buffer.concat([signed, Buffer.from(text, 'utf8')]);
}

/** An instance tag: the instance's name (lower-case letters, digits, dashes). */
const TAG = /^[a-z0-9][a-z0-9-]{0,39}$/;
const TRACKING_TOKEN = /^(?:([a-z0-9][a-z0-9-]{0,39})\.)?([A-Za-z0-9_-]{4,40})\.([A-Za-z0-9_-]{16})$/;

/**
 * `[<tag>.]<ids>.<mac>`; `params` are the per-recipient values carried as p1…pn in the query, signed
 * too. `tag` names the instance that sent the message (signed with the ids), so the one tracking
 * process of an appliance hands the hit to that instance; tokens without one (sent before tags)
 * still verify.
 */
export function encodeTrackingToken(key: string, ids: TrackingIds, params: readonly string[] = [], tag?: string): string {
  if (tag !== undefined && !TAG.test(tag)) throw new RangeError(`not an instance tag: ${tag}`);
  const payload = writeVarints([VERSION, ids.deliveryId, ids.broadLogId, ids.urlId]);
  const token = `${payload.toString('base64url')}.${mac(key, 'tracking', trackingData(payload, params, tag), TRACKING_MAC).toString('base64url')}`;
  return tag ? `${tag}.${token}` : token;
}

/** The instance tag a token claims (unverified: verify with that instance's keys), '' for an untagged one, undefined for no token. */
export function trackingTokenTag(token: string): string | undefined {
  const match = TRACKING_TOKEN.exec(token);
  return match ? (match[1] ?? '') : undefined;
}

/** The ids of a valid token, or undefined for anything unsigned, tampered or malformed (the tag included). */
export function decodeTrackingToken(keys: Keys, token: string, params: readonly string[] = []): TrackingIds | undefined {
  const match = TRACKING_TOKEN.exec(token);
  if (!match) return undefined;
  const payload = Buffer.from(match[2]!, 'base64url');
  const values = readVarints(payload, 4);
  if (!values || values[0] !== VERSION) return undefined;
  if (!verifyMac(keys, 'tracking', trackingData(payload, params, match[1]), Buffer.from(match[3]!, 'base64url'), TRACKING_MAC)) return undefined;
  return { deliveryId: values[1]!, broadLogId: values[2]!, urlId: values[3]! };
}

// ---- VERP (bounce address) tokens ---------------------------------------------------------------

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const VERP_MAC = 10;

function base32(buf: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of buf) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

function unbase32(text: string): Buffer | undefined {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of text.toLowerCase()) {
    const i = BASE32.indexOf(ch);
    if (i < 0) return undefined;
    value = ((value << 5) | i) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export interface VerpIds {
  broadLogId: number;
  deliveryId: number;
}

/** The token of the local part `bounce+<token>`, case-insensitive. */
export function encodeVerpToken(key: string, ids: VerpIds): string {
  const payload = writeVarints([ids.broadLogId, ids.deliveryId]);
  return `${base32(payload)}-${base32(mac(key, 'verp', payload, VERP_MAC))}`;
}

export function decodeVerpToken(keys: Keys, token: string): VerpIds | undefined {
  const match = /^([a-z2-7]{2,24})-([a-z2-7]{16})$/i.exec(token);
  if (!match) return undefined;
  const payload = unbase32(match[1]!);
  const given = unbase32(match[2]!);
  if (!payload || !given) return undefined;
  const values = readVarints(payload, 2);
  if (!values || base32(payload) !== match[1]!.toLowerCase()) return undefined;
  if (!verifyMac(keys, 'verp', payload, given, VERP_MAC)) return undefined;
  return { broadLogId: values[0]!, deliveryId: values[1]! };
}

/** `bounce+<token>@<domain>`: the envelope sender of one message. */
export function verpAddress(key: string, ids: VerpIds, domain: string, prefix = 'bounce'): string {
  return `${prefix}+${encodeVerpToken(key, ids)}@${domain}`;
}

/** The ids behind a VERP address, or undefined if it is not one of ours or its signature is wrong. */
export function parseVerpAddress(keys: Keys, address: string, prefix = 'bounce'): VerpIds | undefined {
  const at = address.lastIndexOf('@');
  const local = (at > 0 ? address.slice(0, at) : address).toLowerCase();
  if (!local.startsWith(`${prefix.toLowerCase()}+`)) return undefined;
  return decodeVerpToken(keys, local.slice(prefix.length + 1));
}

// ---- recipient tokens ---------------------------------------------------------------------------

export const RECIPIENT_PURPOSES = ['unsubscribe', 'preferences', 'confirm', 'mirror'] as const;
export type RecipientPurpose = (typeof RECIPIENT_PURPOSES)[number];

export interface RecipientClaims {
  recipientId: number;
  purpose: RecipientPurpose;
  /** The service concerned (0: none, e.g. unsubscribe from everything). */
  serviceId: number;
  /** Expiry in seconds since the epoch (0: no expiry). */
  expiresAt: number;
  /** The message the link came in (its delivery and broad log), so an opt-out counts for that delivery. */
  message?: { deliveryId: number; broadLogId: number };
}

const RECIPIENT_MAC = 12;
/** Version 2 carries the message's ids; version 1 (links already sent) does not. */
const RECIPIENT_WITH_MESSAGE = 2;

export function encodeRecipientToken(key: string, claims: RecipientClaims): string {
  const values = [RECIPIENT_PURPOSES.indexOf(claims.purpose), claims.recipientId, claims.serviceId, claims.expiresAt];
  const payload = claims.message
    ? writeVarints([RECIPIENT_WITH_MESSAGE, ...values, claims.message.deliveryId, claims.message.broadLogId])
    : writeVarints([VERSION, ...values]);
  return `${payload.toString('base64url')}.${mac(key, 'recipient', payload, RECIPIENT_MAC).toString('base64url')}`;
}

/** Valid, unexpired claims, or undefined. `nowSeconds` is passed in (pure). */
export function decodeRecipientToken(keys: Keys, token: string, nowSeconds: number): RecipientClaims | undefined {
  const match = /^([A-Za-z0-9_-]{4,64})\.([A-Za-z0-9_-]{16})$/.exec(token);
  if (!match) return undefined;
  const payload = Buffer.from(match[1]!, 'base64url');
  const version = payload[0];
  const values = version === VERSION ? readVarints(payload, 5) : version === RECIPIENT_WITH_MESSAGE ? readVarints(payload, 7) : undefined;
  if (!values || !RECIPIENT_PURPOSES[values[1]!]) return undefined;
  if (!verifyMac(keys, 'recipient', payload, Buffer.from(match[2]!, 'base64url'), RECIPIENT_MAC)) return undefined;
  const claims: RecipientClaims = { purpose: RECIPIENT_PURPOSES[values[1]!]!, recipientId: values[2]!, serviceId: values[3]!, expiresAt: values[4]! };
  if (version === RECIPIENT_WITH_MESSAGE) claims.message = { deliveryId: values[5]!, broadLogId: values[6]! };
  if (claims.expiresAt !== 0 && claims.expiresAt < nowSeconds) return undefined;
  return claims;
}

// ---- Message-ID ----------------------------------------------------------------------------------

/**
 * `<h.<delivery>.<broadLog>.<mac>@<domain>>`: identifies the broad log row of a message, so a
 * bounce that only returns the original headers still maps to it; the MAC rejects forged ones.
 */
export function messageIdFor(key: string, ids: VerpIds, domain: string): string {
  const payload = writeVarints([ids.broadLogId, ids.deliveryId]);
  return `<h.${ids.deliveryId.toString(36)}.${ids.broadLogId.toString(36)}.${base32(mac(key, 'message-id', payload, VERP_MAC))}@${domain}>`;
}

export function parseMessageId(keys: Keys, messageId: string): VerpIds | undefined {
  const match = /^<?h\.([0-9a-z]{1,11})\.([0-9a-z]{1,11})\.([a-z2-7]{16})@[^>]+>?$/i.exec(messageId.trim());
  if (!match) return undefined;
  const ids = { deliveryId: parseInt(match[1]!, 36), broadLogId: parseInt(match[2]!, 36) };
  const given = unbase32(match[3]!);
  if (!given || !Number.isSafeInteger(ids.deliveryId) || !Number.isSafeInteger(ids.broadLogId)) return undefined;
  return verifyMac(keys, 'message-id', writeVarints([ids.broadLogId, ids.deliveryId]), given, VERP_MAC) ? ids : undefined;
}
