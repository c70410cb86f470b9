import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP server with explicit limits (slow headers, slow bodies, idle keep-alive) that closes
 * gracefully: stop accepting, let in-flight requests finish, drop idle keep-alive sockets.
 */
export interface HttpServer {
  readonly server: Server;
  readonly port: number;
  /**
   * Serves the next requests with `handler` (a reload): open connections stay, keep-alive ones
   * included, and requests under way finish on the handler that took them.
   */
  setHandler(handler: HttpHandler): void;
  close(): Promise<void>;
}

/** A request handler; one that returns a promise must settle it itself (Koa's `app.callback()` does). */
export type HttpHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export async function listenHttp(handler: HttpHandler, host: string, port: number): Promise<HttpServer> {
  const options = { headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 5_000, maxHeaderSize: 16 * 1024 };
  let current = handler;
  const server = createServer(options, ((req, res) => current(req, res)) as RequestListener);
  server.maxHeadersCount = 100;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    setHandler: (next) => {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
