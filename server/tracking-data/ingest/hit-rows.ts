import { createHash } from 'node:crypto';
import type { NewTrackingLog } from '../../db/repos/tracking-logs.js';
import { TRACKING_URL_TYPES, type TrackingUrlType } from '../../shared/glossary.js';
import { MAX_USER_AGENT } from '../../shared/tracking-protocol/hit.js';

/**
 * A shipped hit (see ../hit.ts) checked field by field and turned into a tracking_logs row, or
 * undefined when it is not a well-formed hit. Pure.
 */
const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;

export function toTrackingRow(raw: unknown, server: string): NewTrackingLog | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const hit = raw as Record<string, unknown>;
  if (!isText(hit.id, 64) || hit.id === '' || !isId(hit.t) || !isId(hit.d) || !isId(hit.b) || !isId(hit.u)) return undefined;
  if (typeof hit.k !== 'string' || !(TRACKING_URL_TYPES as readonly string[]).includes(hit.k)) return undefined;
  const ip = isText(hit.ip, 64) ? hit.ip : '';
  const ua = typeof hit.ua === 'string' ? hit.ua.slice(0, MAX_USER_AGENT) : '';
  const person = isText(hit.s, 60) && hit.s !== '' ? `c:${hit.s}` : fingerprint(ip, ua);
  return {
    hitId: hit.id,
    deliveryId: hit.d,
    broadLogId: hit.b || null,
    recipientId: null,
    urlId: hit.u || null,
    urlType: hit.k as TrackingUrlType,
    loggedAt: new Date(hit.t),
    sourceId: person,
    ip: ip || null,
    userAgent: ua || null,
    bot: null,
    server: server.slice(0, 100),
  };
}

/**
 * Without a person cookie, a browser is told apart by its address and user agent (hashed: the
 * source id is compared, never read back).
 */
function fingerprint(ip: string, ua: string): string {
  return `f:${createHash('sha256').update(`${ip}\n${ua}`).digest('base64url').slice(0, 22)}`;
}
