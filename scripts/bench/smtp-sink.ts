import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port.js';

/**
 * Postfix's smtp-sink (Debian package postfix) as the reference receiver, and smtp-source as the
 * physical-limit baseline, both on 127.0.0.1. `received()` reads the sink's running message counter.
 */
export interface Sink {
  port: number;
  received(): number;
  stop(): void;
}

export function requirePostfixTools(): void {
  for (const tool of ['smtp-sink', 'smtp-source']) {
    if (spawnSync('sh', ['-c', `command -v ${tool} || test -x /usr/sbin/${tool}`]).status !== 0) {
      throw new Error(`${tool} not found: install Debian's postfix package (apt-get install -y postfix)`);
    }
  }
}

/**
 * `dumpFile`: also append every message to that file (smtp-sink -D, the envelope first as X-Helo-Args
 * and X-Rcpt-Args lines), to count copies per recipient afterwards. Its folder must be writable by
 * the sink's user (nobody, when we are root).
 */
export async function startSink(options: { dumpFile?: string } = {}): Promise<Sink> {
  const port = await freePort();
  const dump = options.dumpFile ? ['-D', options.dumpFile] : [];
  const args = [...(process.getuid?.() === 0 ? ['-u', 'nobody'] : []), ...dump, '-c', `127.0.0.1:${port}`, '1024'];
  const child: ChildProcess = spawn('smtp-sink', args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin` } });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-4096)));
  await sleep(300);
  return {
    port,
    received: () => Number([...out.matchAll(/mesg=(\d+)/g)].pop()?.[1] ?? 0),
    stop: () => child.kill('SIGTERM'),
  };
}

/**
 * smtp-source into the sink: `messages` of `size` bytes over `sessions` reused connections; msgs/s.
 * Asynchronous, so this process keeps reading the sink's counter pipe meanwhile.
 */
export async function baseline(port: number, messages: number, size: number, sessions = 10): Promise<number> {
  const started = process.hrtime.bigint();
  const child = spawn(
    'smtp-source',
    ['-d', '-s', String(sessions), '-m', String(messages), '-l', String(size), '-f', 'bench@bench.test', '-t', 'rcpt@bench.test', `127.0.0.1:${port}`],
    {
      env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin` },
      stdio: 'ignore',
    },
  );
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`smtp-source failed (exit ${code})`);
  return messages / (Number(process.hrtime.bigint() - started) / 1e9);
}
