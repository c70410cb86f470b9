import { once } from 'node:events';
import { createServer } from 'node:net';

/** A loopback TCP port free right now, for a server whose port must be written into a config before it starts. */
export async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const port = (probe.address() as { port: number }).port;
  probe.close();
  await once(probe, 'close');
  return port;
}
