import type { ModuleStatus } from '../../server/shared/watchdog-client.js';

/** A module as the watchdog reports it: ready, never restarted, nothing else to say unless `extra` says so. */
export const moduleStatus = (name: string, extra: Partial<ModuleStatus> = {}): ModuleStatus => ({
  module: name,
  state: 'ready',
  autoStart: true,
  runLevel: 30,
  pid: 100,
  uptimeMs: 1000,
  restarts: 0,
  rssBytes: null,
  memory: 'ok',
  lastExit: null,
  nextStartInMs: null,
  details: null,
  ...extra,
});
