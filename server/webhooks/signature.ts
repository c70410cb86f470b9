import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures, pure: `Herald-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
 * The time is signed with the body, so a receiver can refuse replays older than a few minutes.
 */

const mac = (secret: string, seconds: number, body: string) => createHmac('sha256', secret).update(`${seconds}.${body}`).digest('hex');

export function signatureHeader(secret: string, body: string, nowSeconds: number): string {
  return `t=${nowSeconds},v1=${mac(secret, nowSeconds, body)}`;
}

/** What a receiver does: the signature matches and is at most `toleranceSeconds` old. */
export function verifySignature(secret: string, body: string, header: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!m) return false;
  const seconds = Number(m[1]);
  if (Math.abs(nowSeconds - seconds) > toleranceSeconds) return false;
  return timingSafeEqual(Buffer.from(m[2]!, 'hex'), Buffer.from(mac(secret, seconds, body), 'hex'));
}

/** Seconds before attempt `attempt + 1` (attempt counts from 1): doubling from `initial`, capped at `max`. */
export function retryDelaySeconds(attempt: number, initial: number, max: number): number {
  return Math.min(max, initial * 2 ** Math.max(0, attempt - 1));
}
