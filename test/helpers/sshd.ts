import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { userInfo, tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real OpenSSH server (Debian's openssh-server) for the SFTP tests: its own sshd_config, host key,
 * user key and authorized_keys in a temp dir, listening on 127.0.0.1 on a free port (sshd cannot
 * take port 0: a port is found by binding 0 first, and tried again if taken meanwhile), run as the
 * current user with internal-sftp. Where sshd is not installed the tests are skipped with a
 * message, except when HERALD_TEST_REQUIRE_SSHD=1 (set by .ci/run): then its absence fails them.
 */

export const SSHD = '/usr/sbin/sshd';
export const SKIP_MESSAGE = `OpenSSH's server is not installed (${SSHD}): the SFTP routing tests need Debian's openssh-server`;

export function sshdAvailable(): boolean {
  if (existsSync(SSHD)) return true;
  if (process.env.HERALD_TEST_REQUIRE_SSHD === '1')
    throw new Error(`sshd is required (HERALD_TEST_REQUIRE_SSHD=1) but ${SSHD} does not exist: apt-get install openssh-server`);
  return false;
}

export interface SshServer {
  port: number;
  user: string;
  dir: string;
  /** The host key's fingerprint (SHA256:…) as ssh-keygen -l prints it. */
  hostKeyFingerprint: string;
  /** A fingerprint of another key (for the pinning test). */
  otherFingerprint: string;
  privateKeyFile: string;
  /** A folder on the server for uploads and one for return files. */
  uploadDir: string;
  returnDir: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const keygen = (file: string) => execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file]);
const fingerprintOf = (pub: string) => execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', pub]).toString().split(' ')[1]!;

function listening(child: ChildProcess, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`sshd did not start: ${seen}`)), 10_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(`port ${port}`) && seen.includes('listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sshd exited (${code}): ${seen}`));
    });
  });
}

export async function startSshd(): Promise<SshServer> {
  const dir = mkdtempSync(join(tmpdir(), 'herald-sshd-'));
  keygen(join(dir, 'host_key'));
  keygen(join(dir, 'other_key'));
  keygen(join(dir, 'user_key'));
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'user_key.pub')));
  const uploadDir = join(dir, 'inbox');
  const returnDir = join(dir, 'returns');
  mkdirSync(uploadDir);
  mkdirSync(returnDir);
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const user = userInfo().username;
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const config = join(dir, 'sshd_config');
    writeFileSync(
      config,
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${join(dir, 'host_key')}`,
        `PidFile ${join(dir, 'sshd.pid')}`,
        `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
        `AllowUsers ${user}`,
        'StrictModes no',
        'UsePAM no',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'PubkeyAuthentication yes',
        'PermitRootLogin prohibit-password',
        'Subsystem sftp internal-sftp',
        'LogLevel INFO',
        '',
      ].join('\n'),
    );
    const child = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    try {
      await listening(child, port);
    } catch (err) {
      child.kill('SIGKILL');
      if (attempt < 3 && String(err).includes('Address already in use')) continue;
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    child.stderr!.resume();
    return {
      port,
      user,
      dir,
      hostKeyFingerprint: fingerprintOf(join(dir, 'host_key.pub')),
      otherFingerprint: fingerprintOf(join(dir, 'other_key.pub')),
      privateKeyFile: join(dir, 'user_key'),
      uploadDir,
      returnDir,
      async stop() {
        if (child.exitCode === null) {
          const exited = new Promise((r) => child.once('exit', r));
          child.kill('SIGTERM');
          await exited;
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}
