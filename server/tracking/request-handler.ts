import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from '../shared/logger.js';
import { VERSION } from '../shared/version.js';
import { handleApi, type ApiDeps } from './api.js';
import { handleClick, handleOpen, type HotPathDeps } from './hot-path.js';
import { sendJson, sendMethodNotAllowed, sendNotFound } from './responses.js';

/**
 * The tracking server's only router, plain node:http (no middleware chain in front of the hot
 * path): `/r/<token>` click, `/o/<token>` open, `/r/test` health, `/api/…` for Herald itself.
 * Everything else is a plain 404 page.
 */
export type TrackingDeps = HotPathDeps & ApiDeps & { log: Logger };

export function createRequestHandler(deps: TrackingDeps): RequestListener {
  return (req, res) => {
    try {
      route(req, res, deps);
    } catch (err) {
      failed(req, res, err, deps.log);
    }
  };
}

function route(req: IncomingMessage, res: ServerResponse, deps: TrackingDeps): void {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? '' : url.slice(q + 1);
  const isRead = req.method === 'GET' || req.method === 'HEAD';
  if (path.startsWith('/r/')) {
    if (!isRead) return sendMethodNotAllowed(res, 'GET, HEAD');
    if (path === '/r/test') return health(res, deps);
    return handleClick(req, res, path.slice(3), query, deps);
  }
  if (path.startsWith('/o/')) {
    if (!isRead) return sendMethodNotAllowed(res, 'GET, HEAD');
    return handleOpen(req, res, path.slice(3), deps);
  }
  if (path.startsWith('/api/')) {
    handleApi(req, res, path, query, deps).catch((err: unknown) => failed(req, res, err, deps.log));
    return;
  }
  sendNotFound(res, req.method === 'HEAD');
}

/**
 * `GET /r/test` (Adobe's name) for the watchdog and load balancers: 200 while hits are being
 * written, 503 when the hit log is failing (send clicks to another server).
 */
function health(res: ServerResponse, deps: TrackingDeps): void {
  const log = deps.hits.status();
  sendJson(res, log.healthy ? 200 : 503, {
    status: log.healthy ? 'ok' : 'degraded',
    module: 'tracking',
    version: VERSION,
    deliveries: deps.store.size(),
    hitLog: log.healthy ? 'ok' : 'failing',
    bufferedBytes: log.bufferedBytes,
  });
}

function failed(req: IncomingMessage, res: ServerResponse, err: unknown, log: Logger): void {
  log.error('TRACKING_REQUEST_FAILED', { path: (req.url ?? '').split('?')[0]!.slice(0, 100), err });
  if (res.headersSent) return void res.destroy();
  sendJson(res, 500, { error: 'internal error' });
}
