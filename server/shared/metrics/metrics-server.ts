import { describeError } from '../errors.js';
import { listenHttp, type HttpServer } from '../http-server.js';
import type { Logger } from '../logger.js';
import type { Registry } from './registry.js';

/**
 * The exposition of one module on its own port (loopback by default): `GET /metrics` answers the
 * Prometheus text format, anything else 404. A port already taken is logged (METRICS_UNAVAILABLE)
 * and the module runs on without metrics: monitoring never stops mail.
 */
export async function startMetricsServer(registry: Registry, host: string, port: number, log: Logger): Promise<HttpServer | undefined> {
  try {
    return await listenHttp(
      (req, res) => {
        if (req.method !== 'GET' || (req.url ?? '/').split('?')[0] !== '/metrics') {
          res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
          return;
        }
        registry.metrics().then(
          (text) => res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' }).end(text),
          (err: unknown) => {
            log.warn('METRICS_COLLECT_FAILED', { err: describeError(err) });
            res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics collection failed\n');
          },
        );
      },
      host,
      port,
    );
  } catch (err) {
    log.error('METRICS_UNAVAILABLE', { host, port, err: describeError(err) });
    return undefined;
  }
}
