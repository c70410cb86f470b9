import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../shared/logger.js';
import { checkSignature, MAX_REQUEST_BYTES, parseGrant, parseRegister, STAT_AUTH_HEADER, STAT_PATHS } from '../shared/stat-protocol.js';
import type { SlotLedger } from './slot-ledger.js';

/**
 * The stat server's HTTP shell around the slot ledger: POST only, one small JSON body per request
 * (MAX_REQUEST_BYTES), read within a few seconds, signed with the shared key (a request without a
 * good signature gets 401 and nothing else). Answers are JSON; a refusal says why in `error`.
 */

export interface StatServer {
  readonly port: number;
  close(): Promise<void>;
}

export interface StatServerOptions {
  host: string;
  port: number;
  key: string;
  /** Concurrent connections the server accepts (each MTA keeps a few open). */
  maxConnections: number;
  clock?: () => number;
  /** Told of every slot granted and every request refused (the module's metrics). */
  observer?: { granted(count: number): void; refused(): void };
}

const TIMEOUTS = { headersTimeout: 5000, requestTimeout: 5000, keepAliveTimeout: 10_000, maxHeaderSize: 4096 };

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

/** The request body, or undefined when it is larger than allowed (the connection is then closed). */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_REQUEST_BYTES) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startStatServer(ledger: SlotLedger, options: StatServerOptions, log: Logger): Promise<StatServer> {
  const clock = options.clock ?? Date.now;
  const observer = options.observer;
  const refusedFrom = new Set<string>();
  const answer = (res: ServerResponse, status: number, body: unknown) => {
    if (status !== 200) observer?.refused();
    else if (typeof (body as { granted?: unknown }).granted === 'number') observer?.granted((body as { granted: number }).granted);
    send(res, status, body);
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '';
    if (req.method !== 'POST' || !Object.values(STAT_PATHS).includes(path as never)) return answer(res, 404, { error: 'not found' });
    const body = await readBody(req);
    if (body === undefined) {
      res.setHeader('connection', 'close');
      return answer(res, 413, { error: `request larger than ${MAX_REQUEST_BYTES} bytes` });
    }
    const now = clock();
    const bad = checkSignature(options.key, req.headers[STAT_AUTH_HEADER] as string | undefined, path, body, now);
    if (bad) {
      const from = req.socket.remoteAddress ?? '?';
      // one line per peer and reason, so a flood of forged requests cannot fill the log
      if (refusedFrom.size < 1000 && !refusedFrom.has(`${from} ${bad}`)) log.warn('STAT_REQUEST_REFUSED', { from, reason: bad });
      refusedFrom.add(`${from} ${bad}`);
      return answer(res, 401, { error: bad });
    }
    let json: unknown;
    try {
      json = body ? JSON.parse(body) : {};
    } catch {
      return answer(res, 400, { error: 'the body is not JSON' });
    }
    if (path === STAT_PATHS.status) return answer(res, 200, ledger.view(now));
    const request = path === STAT_PATHS.register ? parseRegister(json) : parseGrant(json);
    if (typeof request === 'string') return answer(res, 400, { error: request });
    const result = 'key' in request ? ledger.grant(request, now) : ledger.register(request, now);
    if ('refused' in result) return answer(res, result.refused === 'unregistered' ? 409 : 503, { error: result.reason, refused: result.refused });
    return answer(res, 200, result);
  };
  const server = createServer(TIMEOUTS, (req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 400, { error: 'bad request' });
      else res.destroy();
    });
  });
  server.maxConnections = options.maxConnections;
  server.maxHeadersCount = 30;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2000).unref();
      }),
  };
}
