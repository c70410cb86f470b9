import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { APP_ROOT } from '../../server/shared/app-root.js';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `herald <args>` as a real process, exactly as `npm run -s herald -- <args>` does. */
export function herald(args: string[], env: NodeJS.ProcessEnv, stdin?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import=tsx', join(APP_ROOT, 'server', 'cli', 'main.ts'), ...args], {
      cwd: APP_ROOT,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}
