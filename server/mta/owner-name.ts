import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from '../db/connect.js';
import { LIVE_MS, register, registeredMta, type RegisteredMta } from '../db/repos/mta-throttle.js';
import { ConfigError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';

/**
 * An MTA's queue leases carry its owner name (`mta.instanceId`, else `<instanceName>-<host>`), and
 * an MTA frees the leases of its name when it starts (they are a crashed predecessor's). Two live
 * MTA processes under one name would free each other's leases and send the same messages twice, so
 * a starting MTA takes the name only from nobody, from a registration not renewed for 30 s, or from
 * a process of this host that is gone. Otherwise it waits for the registration to lapse (a node
 * that just died elsewhere) and then refuses to start: a config error naming the key to change.
 */

export type Holder = 'free' | 'stale' | 'dead' | 'live';

/** Who holds a registration, seen from this process (pure but for the liveness probe). */
export function holderOf(current: RegisteredMta | undefined, nowMs: number, here: { host: string; pid: number; alive: (pid: number) => boolean }): Holder {
  if (!current) return 'free';
  if (nowMs - current.lastSeenAt.getTime() > LIVE_MS) return 'stale';
  if (current.host === here.host && (current.pid === here.pid || !here.alive(current.pid))) return 'dead';
  return 'live';
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface OwnerNameOptions {
  /** How long to wait for a live-looking registration to lapse (default: 35 s, a little over LIVE_MS). */
  waitMs?: number;
  pollMs?: number;
  signal?: AbortSignal;
}

/** Registers this process under `owner`, or throws a ConfigError when another live MTA uses the name. */
export async function takeOwnerName(
  db: Database,
  owner: string,
  startedAt: Date,
  clock: () => Date,
  log: Logger,
  options: OwnerNameOptions = {},
): Promise<void> {
  const waitMs = options.waitMs ?? LIVE_MS + 5_000;
  const here = { host: hostname(), pid: process.pid, alive: processAlive };
  const since = Date.now();
  let warned = false;
  for (;;) {
    const current = await registeredMta(db, owner);
    const holder = holderOf(current, clock().getTime(), here);
    if (holder !== 'live') {
      if (await register(db, owner, current, startedAt, clock())) return;
      continue; // another process registered meanwhile: look again
    }
    const other = current as RegisteredMta;
    const seen = `pid ${other.pid} on host ${other.host}, seen ${Math.round((clock().getTime() - other.lastSeenAt.getTime()) / 1000)} s ago`;
    if (Date.now() - since >= waitMs)
      throw new ConfigError(
        'site config',
        'mta.instanceId',
        `another MTA process (${seen}) runs on this database under the lease owner name "${owner}"; give each node its own instanceName (or mta.instanceId)`,
      );
    if (!warned) log.warn('MTA_OWNER_NAME_TAKEN', { owner, host: other.host, pid: other.pid });
    warned = true;
    await sleep(options.pollMs ?? 2_000, undefined, { signal: options.signal });
  }
}
