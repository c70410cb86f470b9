import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TrackingUrlType } from '../shared/glossary.js';
import { decodeTrackingToken, type Keys, type TrackingIds } from '../shared/tokens.js';
import { clientIp, personCookie, userAgent } from './client.js';
import { fillUrl } from './destination.js';
import type { HitLog } from './hit-log.js';
import type { HitCounts } from './metrics.js';
import { readParams } from './query-params.js';
import { sendExpired, sendNotFound, sendPixel, sendRedirect } from './responses.js';
import type { UrlStore } from './url-store.js';

/**
 * The two hot paths: `GET /r/<token>` (click → 302 to the stored URL) and `GET /o/<token>` (open →
 * GIF). Verify the MAC, look the URL up in memory, append the hit, answer once it is written. HEAD
 * is answered the same way but logs nothing (link checkers, not people).
 */
export interface HotPathDeps {
  keys: Keys;
  store: UrlStore;
  hits: HitLog;
  /** Where an expired delivery's links lead; '' answers a plain "link expired" page. */
  expirationUrl: string;
  trustProxy: boolean;
  personCookie: boolean;
  secureCookie: boolean;
  clock: () => number;
  nextHitId: () => string;
  /** Hits logged per type, for the metrics (a plain increment per hit). */
  counts: HitCounts;
}

export function handleClick(req: IncomingMessage, res: ServerResponse, token: string, query: string, deps: HotPathDeps): void {
  const head = req.method === 'HEAD';
  const params = readParams(query);
  const ids = params && decodeTrackingToken(deps.keys, token, params);
  if (!params || !ids) return sendNotFound(res, head);
  const delivery = deps.store.get(ids.deliveryId);
  const url = delivery?.urls.get(ids.urlId);
  if (!delivery || !url?.target || url.target.params !== params.length) return sendNotFound(res, head);
  if (delivery.validityEndMs !== null && deps.clock() > delivery.validityEndMs) {
    if (deps.expirationUrl) return sendRedirect(res, deps.expirationUrl);
    return sendExpired(res, head);
  }
  const location = fillUrl(url.target, params);
  if (head) return sendRedirect(res, location);
  const person = deps.personCookie ? personCookie(req, deps.secureCookie) : undefined;
  logHit(req, ids, url.type, person?.id, deps, () => sendRedirect(res, location, person?.setCookie));
}

/**
 * A valid open token is always answered with the pixel, and logged even when this server has not
 * (yet) received the delivery's definitions: the MAC proves the message is ours.
 */
export function handleOpen(req: IncomingMessage, res: ServerResponse, token: string, deps: HotPathDeps): void {
  const head = req.method === 'HEAD';
  const ids = decodeTrackingToken(deps.keys, token);
  if (!ids) return sendNotFound(res, head);
  const delivery = deps.store.get(ids.deliveryId);
  if (delivery) {
    if (delivery.urls.get(ids.urlId)?.type !== 'open') return sendNotFound(res, head);
    if (delivery.validityEndMs !== null && deps.clock() > delivery.validityEndMs) return sendPixel(res, head);
  }
  if (head) return sendPixel(res, head);
  logHit(req, ids, 'open', undefined, deps, () => sendPixel(res, false));
}

/** Appends the hit; the answer goes out once the hit is written (see hit-log.ts). */
function logHit(req: IncomingMessage, ids: TrackingIds, type: TrackingUrlType, person: string | undefined, deps: HotPathDeps, answer: () => void): void {
  deps.counts[type]++;
  deps.hits.append(
    {
      id: deps.nextHitId(),
      t: deps.clock(),
      d: ids.deliveryId,
      b: ids.broadLogId,
      u: ids.urlId,
      k: type,
      ip: clientIp(req, deps.trustProxy),
      ua: userAgent(req),
      ...(person ? { s: person } : {}),
    },
    answer,
  );
}
