import { spawnSync } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { once } from 'node:events';

/**
 * A Linux network namespace of our own, joined to this one by a veth pair: a process started in it
 * has its own network stack (its own loopback and one address), as a separate machine would, and
 * reaches the host only at `hostIp`. Needs root and iproute2; namespaceSupport() says whether this
 * machine can make one (tests then fall back to loopback). Addresses are private /30s made here,
 * reachable from nowhere else.
 */
export interface Netns {
  name: string;
  /** The host's end of the veth pair (servers for the namespace listen here). */
  hostIp: string;
  /** The namespace's own address. */
  nodeIp: string;
  /** argv to run a command inside the namespace. */
  wrap(argv: readonly string[]): string[];
  /** Processes living in the namespace. */
  pids(): number[];
  remove(): void;
}

const ip = (...args: string[]) => spawnSync('ip', args, { encoding: 'utf8' });

let support: string | undefined;

/** '' when namespaces can be made here, else why not. */
export function namespaceSupport(): string {
  if (support !== undefined) return support;
  if (process.getuid?.() !== 0) return (support = 'not root');
  const probe = `herald-probe-${process.pid}`;
  const r = ip('netns', 'add', probe);
  if (r.status !== 0) return (support = `ip netns add failed: ${(r.stderr || String(r.error)).trim()}`);
  ip('netns', 'del', probe);
  return (support = '');
}

export function createNetns(index: number): Netns {
  const tag = `${process.pid % 100_000}${String.fromCharCode(97 + index)}`;
  const name = `herald-${tag}`;
  const [hostIf, nodeIf] = [`hv${tag}h`, `hv${tag}n`];
  const subnet = `10.231.${((process.pid % 60) * 4 + index) % 256}`;
  const [hostIp, nodeIp] = [`${subnet}.1`, `${subnet}.2`];
  const steps = [
    ['netns', 'add', name],
    ['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nodeIf],
    ['link', 'set', nodeIf, 'netns', name],
    ['addr', 'add', `${hostIp}/30`, 'dev', hostIf],
    ['link', 'set', hostIf, 'up'],
    ['netns', 'exec', name, 'ip', 'addr', 'add', `${nodeIp}/30`, 'dev', nodeIf],
    ['netns', 'exec', name, 'ip', 'link', 'set', nodeIf, 'up'],
    ['netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up'],
  ];
  const remove = () => {
    ip('link', 'del', hostIf);
    ip('netns', 'del', name);
  };
  for (const step of steps) {
    const r = ip(...step);
    if (r.status !== 0) {
      remove();
      throw new Error(`ip ${step.join(' ')}: ${r.stderr.trim()}`);
    }
  }
  return {
    name,
    hostIp,
    nodeIp,
    wrap: (argv) => ['ip', 'netns', 'exec', name, ...argv],
    pids: () => ip('netns', 'pids', name).stdout.split('\n').filter(Boolean).map(Number),
    remove,
  };
}

/** A TCP relay listening on `host`:0 to `target` (the namespace's way to a server on the host's loopback). */
export async function tcpRelay(host: string, target: { host: string; port: number }): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((inbound) => {
    const outbound = connect(target.port, target.host);
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    inbound.pipe(outbound).on('close', () => inbound.destroy());
    outbound.pipe(inbound).on('close', () => outbound.destroy());
    inbound.on('close', () => outbound.destroy());
    outbound.on('close', () => inbound.destroy());
  });
  server.listen(0, host);
  await once(server, 'listening');
  return {
    port: (server.address() as { port: number }).port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
