import { createServer } from 'node:net';
import { once } from 'node:events';

/** A loopback TCP port free right now, for a benchmark's child server to listen on. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}
