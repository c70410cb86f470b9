import { readFileSync } from 'node:fs';
import type { HeraldConfig } from '../shared/config/schema.js';
import { UsageError } from '../shared/errors.js';

/**
 * The stat server settings of a new instance (`herald instance add`). MTAs that share a stat server
 * sign their requests with one key, so an instance added to an appliance whose default instance
 * uses a stat server (its `mta.statServer`) or runs one (`[modules.stat] autoStart`) takes that
 * server's address, its `secrets.statKey` and its `mta.publicIp`: the instances keep one set of
 * sending limits without hand editing. `--stat-server <host:port>` names another one (its key read
 * from `--stat-key-file`, else the default instance's), `--stat-server none` keeps the new
 * instance on its own limits (and its own generated key).
 */

export interface StatChoice {
  values: Array<{ path: string[]; value: unknown; secret?: boolean }>;
  /** What to print: the server used and where its key came from, or why none. */
  shown: string;
}

const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):\d{1,5}$/;

/** The address MTAs reach the default instance's own stat server at (a wildcard bind: loopback). */
function ownServer(primary: HeraldConfig): string {
  const host = primary.stat.host === '0.0.0.0' ? '127.0.0.1' : primary.stat.host === '::' ? '[::1]' : primary.stat.host;
  return `${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${primary.stat.port}`;
}

function keyFromFile(file: string): string {
  let key: string;
  try {
    key = readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new UsageError(`--stat-key-file: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  if (key.length < 32) throw new UsageError(`--stat-key-file: the key in ${file} is shorter than 32 characters`);
  return key;
}

export function statServerChoice(primary: HeraldConfig, flags: { server?: string; keyFile?: string }): StatChoice {
  if (flags.server === 'none') {
    if (flags.keyFile) throw new UsageError('--stat-key-file: no use with --stat-server none');
    return { values: [{ path: ['mta', 'statServer'], value: '' }], shown: 'none (its own local limits)' };
  }
  if (flags.server !== undefined && !HOST_PORT.test(flags.server)) throw new UsageError(`--stat-server: "${flags.server}" is not "host:port" or "none"`);
  const appliance = primary.mta.statServer || (primary.modules.stat.autoStart ? ownServer(primary) : '');
  const server = flags.server ?? appliance;
  if (!server) {
    if (flags.keyFile) throw new UsageError('--stat-key-file: give the server with --stat-server <host:port>');
    return { values: [], shown: 'none (the default instance uses none either; --stat-server sets one)' };
  }
  const key = flags.keyFile ? keyFromFile(flags.keyFile) : primary.secrets.statKey;
  if (!key) throw new UsageError(`--stat-server: the default instance has no secrets.statKey to share: give the key with --stat-key-file`);
  const from = flags.keyFile ? `key from ${flags.keyFile}` : "the default instance's key";
  return {
    values: [
      { path: ['mta', 'statServer'], value: server },
      { path: ['secrets', 'statKey'], value: key, secret: true },
      ...(primary.mta.publicIp ? [{ path: ['mta', 'publicIp'], value: primary.mta.publicIp }] : []),
    ],
    shown: `${server} (${from}${flags.server === undefined ? ", as the default instance's MTA" : ''})`,
  };
}
