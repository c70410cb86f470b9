import { TRACKING_URL_TYPES, type TrackingUrlType } from '../shared/glossary.js';
import { compileUrl, type CompiledUrl } from './destination.js';

/**
 * The URL definitions of one delivery, as pushed by Herald when the delivery is analysed or started:
 * `{ "deliveryId": n, "validityEnd": ISO|null, "urls": [{ "id", "type", "url", "label" }] }`.
 * Checked strictly: a definition the tracking server cannot serve safely is refused as a whole.
 */

export interface UrlDefinition {
  id: number;
  type: TrackingUrlType;
  url: string;
  label: string;
}

export interface DeliveryDefinition {
  deliveryId: number;
  validityEnd: string | null;
  urls: UrlDefinition[];
}

/** A definition ready for the hot path: URLs by id, destinations compiled. */
export interface ServedDelivery {
  readonly definition: DeliveryDefinition;
  /** Milliseconds since the epoch after which links lead to the expiration URL; null: never. */
  readonly validityEndMs: number | null;
  readonly urls: ReadonlyMap<number, ServedUrl>;
}

export interface ServedUrl {
  readonly type: TrackingUrlType;
  /** The compiled destination of click and opt-out links. */
  readonly target?: CompiledUrl;
}

const MAX_URLS_PER_DELIVERY = 5000;
const REDIRECTING: ReadonlySet<TrackingUrlType> = new Set(['click', 'opt_out']);

export type Parsed = { ok: true; delivery: ServedDelivery } | { ok: false; reason: string };

const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseDefinition(body: unknown): Parsed {
  if (!isRecord(body)) return { ok: false, reason: 'expected a JSON object' };
  const { deliveryId, validityEnd, urls } = body;
  if (!isId(deliveryId)) return { ok: false, reason: 'deliveryId must be a positive integer' };
  let validityEndMs: number | null = null;
  if (validityEnd !== null && validityEnd !== undefined) {
    validityEndMs = typeof validityEnd === 'string' ? Date.parse(validityEnd) : NaN;
    if (Number.isNaN(validityEndMs)) return { ok: false, reason: 'validityEnd must be an ISO date or null' };
  }
  if (!Array.isArray(urls) || urls.length > MAX_URLS_PER_DELIVERY) return { ok: false, reason: `urls must be a list of at most ${MAX_URLS_PER_DELIVERY}` };
  const served = new Map<number, ServedUrl>();
  const definitions: UrlDefinition[] = [];
  for (const [i, item] of urls.entries()) {
    const checked = parseUrl(item);
    if (typeof checked === 'string') return { ok: false, reason: `urls[${i}]: ${checked}` };
    if (served.has(checked.definition.id)) return { ok: false, reason: `urls[${i}]: duplicate id ${checked.definition.id}` };
    served.set(checked.definition.id, checked.served);
    definitions.push(checked.definition);
  }
  const definition: DeliveryDefinition = { deliveryId, validityEnd: validityEndMs === null ? null : new Date(validityEndMs).toISOString(), urls: definitions };
  return { ok: true, delivery: { definition, validityEndMs, urls: served } };
}

function parseUrl(item: unknown): { definition: UrlDefinition; served: ServedUrl } | string {
  if (!isRecord(item)) return 'expected an object';
  const { id, type, url, label } = item;
  if (!isId(id)) return 'id must be a positive integer';
  if (typeof type !== 'string' || !(TRACKING_URL_TYPES as readonly string[]).includes(type)) return `type must be one of ${TRACKING_URL_TYPES.join(', ')}`;
  if (typeof url !== 'string') return 'url must be a string';
  if (label !== undefined && label !== null && (typeof label !== 'string' || label.length > 255)) return 'label must be a string of at most 255 characters';
  const definition: UrlDefinition = { id, type: type as TrackingUrlType, url, label: (label as string | null | undefined) ?? '' };
  if (!REDIRECTING.has(definition.type)) return { definition, served: { type: definition.type } };
  const compiled = compileUrl(url);
  if (!compiled.ok) return compiled.reason;
  return { definition, served: { type: definition.type, target: compiled.url } };
}
