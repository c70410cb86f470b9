import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes the site config once: fresh secrets, readable by the owner only. An existing file is
 * never touched (it holds the secrets that signed every link already sent).
 */
export function initSiteConfig(file: string, options: { dataDir?: string } = {}): 'created' | 'kept' {
  if (existsSync(file)) return 'kept';
  const key = () => randomBytes(32).toString('base64url');
  const lines = [
    '# Herald site configuration, written once by install.sh (never overwritten).',
    '# Every key and its default is listed in config/default.toml; set here only what differs.',
    '# Keep this file private: it holds the secrets that sign tracking links, sessions and bounces.',
    '',
    ...(options.dataDir ? [`dataDir = ${JSON.stringify(options.dataDir)}`, ''] : []),
    '[secrets]',
    `trackingKey = "${key()}"`,
    `sessionKey = "${key()}"`,
    `bounceKey = "${key()}"`,
    `trackingApiKey = "${key()}"`,
    '',
  ];
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, lines.join('\n'), { mode: 0o600, flag: 'wx' });
  return 'created';
}
