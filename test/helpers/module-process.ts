import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { APP_ROOT } from '../../server/shared/app-root.js';
import type { ChildMessage } from '../../server/shared/run-process.js';

/** `herald <module>` as a real child process, the way the watchdog runs it (IPC ready, ping/pong). */
export interface ModuleProcess {
  child: ChildProcess;
  /** Status fields of the module's last heartbeat answer (e.g. its port). */
  status: Record<string, unknown>;
  stderr(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function startModule(module: string, env: NodeJS.ProcessEnv, args: string[] = []): Promise<ModuleProcess> {
  const child = spawn(process.execPath, ['--import=tsx', join(APP_ROOT, 'server', 'cli', 'main.ts'), module, ...args], {
    cwd: APP_ROOT,
    env,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`herald ${module} exited with ${code} before it was ready: ${stderr}`);
  });
  const message = (type: ChildMessage['type']) =>
    new Promise<ChildMessage>((resolve) => child.on('message', (m: ChildMessage) => m.type === type && resolve(m)));
  await Promise.race([message('ready'), exited]);
  child.send({ type: 'ping', id: 1 });
  const pong = (await Promise.race([message('pong'), exited])) as Extract<ChildMessage, { type: 'pong' }>;
  exited.catch(() => undefined);
  return {
    child,
    status: pong.status ?? {},
    stderr: () => stderr,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const done = once(child, 'exit');
      child.kill(signal);
      await done;
    },
  };
}
