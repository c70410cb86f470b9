import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { posix } from 'node:path';
import SftpClient from 'ssh2-sftp-client';
import type { HeraldConfig } from '../shared/config/schema.js';

/**
 * A provider's SFTP server (ssh2-sftp-client over ssh2). The server's host key must be the one
 * pinned in the config (its SHA256 fingerprint): any other key ends the connection before the
 * credentials are sent. The password or private key comes from the config and is never logged.
 * An upload goes to `.<name>.part` and is renamed (posix-rename, which replaces a file of the same
 * name), so the provider never sees half a file, and a file uploaded again after a crash replaces
 * the first copy. Return files are downloaded to a local part file, renamed into the spool, and only
 * then removed from the server.
 */

export type Provider = HeraldConfig['routing']['providers'][number];

/** `SHA256:<base64, no padding>` of a host key, as ssh-keygen -l prints it. */
export const fingerprint = (key: Buffer): string => `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;

export interface SftpSession {
  upload(data: Buffer, name: string): Promise<void>;
  /** Downloads each complete file of the return folder to `fetch(name)`'s path, then removes it there. */
  fetchReturns(keep: (name: string, download: (localPath: string) => Promise<void>) => Promise<void>): Promise<number>;
  close(): Promise<void>;
}

export async function openSftp(p: Provider): Promise<SftpSession> {
  // the package prints connection events to the console by default: errors reach us through its promises instead
  const quiet = { error: () => undefined, end: () => undefined, close: () => undefined };
  const client = new (SftpClient as unknown as new (name: string, callbacks: typeof quiet) => SftpClient)(`herald-${p.name}`, quiet);
  const pinned = p.sftpHostKey.replace(/=+$/, '');
  let offered: string | undefined;
  await client
    .connect({
      host: p.sftpHost,
      port: p.sftpPort,
      username: p.sftpUser,
      ...(p.sftpPrivateKeyFile ? { privateKey: await readFile(p.sftpPrivateKeyFile) } : {}),
      ...(p.sftpPassword ? { password: p.sftpPassword } : {}),
      readyTimeout: p.connectTimeoutSec * 1000,
      hostVerifier: (key: Buffer) => {
        offered = fingerprint(key);
        return offered === pinned;
      },
    })
    .catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      if (offered && offered !== pinned)
        throw new Error(`the SFTP server ${p.sftpHost}:${p.sftpPort} offered host key ${offered}, not the pinned ${pinned}: connection refused`);
      throw new Error(`SFTP connection to ${p.sftpHost}:${p.sftpPort} failed: ${message}`);
    });
  return {
    async upload(data, name) {
      const part = posix.join(p.sftpUploadDir, `.${name}.part`);
      await client.put(data, part);
      await client.posixRename(part, posix.join(p.sftpUploadDir, name));
    },
    async fetchReturns(keep) {
      if (!p.sftpReturnDir) return 0;
      const files = (await client.list(p.sftpReturnDir)).filter((f) => f.type === '-' && !f.name.startsWith('.')).sort((a, b) => a.name.localeCompare(b.name));
      for (const f of files) {
        const remote = posix.join(p.sftpReturnDir, f.name);
        await keep(f.name, async (localPath) => {
          await client.fastGet(remote, localPath);
        });
        await client.delete(remote);
      }
      return files.length;
    },
    async close() {
      await client.end();
    },
  };
}
