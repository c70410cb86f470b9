import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../shared/logger.js';
import { isAuthorized } from '../shared/tracking-protocol/api-key.js';
import { parseCheckpoint } from '../shared/tracking-protocol/checkpoint.js';
import { clientIp } from './client.js';
import { parseDefinition } from './definitions.js';
import type { HitLog } from './hit-log.js';
import { readHits } from './hit-reader.js';
import { sendJson, sendMethodNotAllowed } from './responses.js';
import type { UrlStore } from './url-store.js';

/**
 * The authenticated API Herald's other processes use (never recipients):
 * - `POST /api/urls`: store a delivery's URL definitions (body: see definitions.ts);
 * - `GET /api/hits?since=<checkpoint>&limit=<n>`: the hits logged since a checkpoint (log shipping);
 *   asking from a checkpoint confirms that the hits before it are stored (see HitLog.acknowledge).
 */
export interface ApiDeps {
  apiKey: string;
  store: UrlStore;
  hits: HitLog;
  log: Logger;
  trustProxy: boolean;
}

const MAX_BODY_BYTES = 2 * 1024 * 1024;
const MAX_HITS_PER_CALL = 10_000;

export async function handleApi(req: IncomingMessage, res: ServerResponse, path: string, query: string, deps: ApiDeps): Promise<void> {
  if (!isAuthorized(req.headers.authorization, deps.apiKey)) {
    deps.log.warn('TRACKING_API_DENIED', { path: path.slice(0, 100), ip: clientIp(req, deps.trustProxy) });
    req.resume();
    return sendJson(res, 401, { error: 'unauthorized' });
  }
  if (path === '/api/urls') {
    if (req.method !== 'POST') return sendMethodNotAllowed(res, 'POST');
    return pushUrls(req, res, deps);
  }
  if (path === '/api/hits') {
    if (req.method !== 'GET') return sendMethodNotAllowed(res, 'GET');
    const params = new URLSearchParams(query);
    const limit = Math.min(Math.max(Number(params.get('limit')) || 1000, 1), MAX_HITS_PER_CALL);
    const since = params.get('since') ?? '';
    const acknowledged = parseCheckpoint(since);
    if (acknowledged) await deps.hits.acknowledge(acknowledged);
    const source = { dir: deps.hits.dir, epoch: deps.hits.epoch, currentFile: deps.hits.currentFile() };
    return sendJson(res, 200, await readHits(source, since, limit));
  }
  sendJson(res, 404, { error: 'not found' });
}

async function pushUrls(req: IncomingMessage, res: ServerResponse, deps: ApiDeps): Promise<void> {
  const body = await readBody(req);
  if (body === undefined) return sendJson(res, 413, { error: `body larger than ${MAX_BODY_BYTES} bytes` });
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return sendJson(res, 400, { error: 'invalid JSON' });
  }
  const parsed = parseDefinition(json);
  if (!parsed.ok) {
    deps.log.warn('TRACKING_URLS_REJECTED', { reason: parsed.reason });
    return sendJson(res, 400, { error: parsed.reason });
  }
  await deps.store.put(parsed.delivery);
  const { deliveryId, urls } = parsed.delivery.definition;
  deps.log.info('TRACKING_URLS_STORED', { deliveryId, urls: urls.length });
  sendJson(res, 200, { ok: true, deliveryId, urls: urls.length });
}

/** The request body as text, or undefined when it exceeds the limit (the rest is read and discarded). */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES ? Infinity : 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
