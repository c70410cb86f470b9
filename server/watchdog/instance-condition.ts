import type { InstanceCondition, ModuleStatus } from '../shared/watchdog-client.js';

/**
 * What one instance is doing, in a word, for `herald status --json` and the table (pure):
 * `stopped` on request (nothing restarts it), `blocked` by its config (its site config does not
 * load, or a module of it exits with a config error: the watchdog will not restart that one),
 * `crash-looping` (a module of it crashed 10 times in 5 minutes: one restart a minute),
 * `not ready` (a module of it is starting, stopping or waiting in backoff), else `running`. The first that holds wins.
 */
export function instanceCondition(entry: { stopped: boolean; configError: string | null; modules: readonly ModuleStatus[] }): {
  condition: InstanceCondition;
  crashLooping: string[];
  blockedBy: string | null;
} {
  const crashLooping = entry.modules.filter((m) => m.state === 'crash-looping').map((m) => m.module);
  const configStopped = entry.modules.find((m) => m.state === 'stopped' && m.autoStart && m.lastExit?.reason?.startsWith('config error'));
  const blockedBy = entry.configError ?? (configStopped ? `${configStopped.module}: ${configStopped.lastExit!.reason}` : null);
  const condition: InstanceCondition = entry.stopped
    ? 'stopped'
    : blockedBy !== null
      ? 'blocked'
      : crashLooping.length > 0
        ? 'crash-looping'
        : entry.modules.some((m) => m.autoStart && m.state !== 'ready')
          ? 'not ready'
          : 'running';
  return { condition, crashLooping, blockedBy };
}
