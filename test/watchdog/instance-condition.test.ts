import assert from 'node:assert/strict';
import type { ModuleStatus } from '../../server/shared/watchdog-client.js';
import { instanceCondition } from '../../server/watchdog/instance-condition.js';
import { moduleStatus } from '../helpers/module-status.js';

const module = (name: string, state: ModuleStatus['state'], extra: Partial<ModuleStatus> = {}): ModuleStatus =>
  moduleStatus(name, { state, pid: state === 'ready' ? 100 : null, uptimeMs: null, ...extra });
const configExit = { code: 78, signal: null, at: '2026-12-07T10:00:00Z', reason: 'config error: brand.toml: inmail.port: in use' };

describe('the condition of one instance under the watchdog', () => {
  const cases: Array<{ title: string; stopped?: boolean; configError?: string; modules: ModuleStatus[]; expect: ReturnType<typeof instanceCondition> }> = [
    {
      title: 'every autoStart module ready: running (a module without autoStart may stay stopped)',
      modules: [module('mta', 'ready'), module('sms', 'stopped', { autoStart: false })],
      expect: { condition: 'running', crashLooping: [], blockedBy: null },
    },
    {
      title: 'a module starting or waiting in backoff: not ready',
      modules: [module('mta', 'ready'), module('inmail', 'backoff')],
      expect: { condition: 'not ready', crashLooping: [], blockedBy: null },
    },
    {
      title: 'a module crash-looping: crash-looping, naming it',
      modules: [module('mta', 'crash-looping'), module('inmail', 'ready')],
      expect: { condition: 'crash-looping', crashLooping: ['mta'], blockedBy: null },
    },
    {
      title: 'a module stopped by its config error: blocked, naming the module and the reason',
      modules: [module('mta', 'ready'), module('inmail', 'stopped', { lastExit: configExit })],
      expect: { condition: 'blocked', crashLooping: [], blockedBy: 'inmail: config error: brand.toml: inmail.port: in use' },
    },
    {
      title: 'a site config that does not load: blocked by it (no module runs)',
      configError: 'brand.toml: web.port: not a port',
      modules: [],
      expect: { condition: 'blocked', crashLooping: [], blockedBy: 'brand.toml: web.port: not a port' },
    },
    {
      title: 'stopped on request wins over the rest (its modules are down on purpose)',
      stopped: true,
      modules: [module('mta', 'stopped', { lastExit: { ...configExit, code: 0, reason: 'stop requested' } }), module('inmail', 'crash-looping')],
      expect: { condition: 'stopped', crashLooping: ['inmail'], blockedBy: null },
    },
    {
      title: 'a module stopped on request alone (not by a config error) does not block the instance',
      modules: [module('mta', 'stopped', { autoStart: false, lastExit: { ...configExit, code: 0, reason: 'autoStart switched off' } })],
      expect: { condition: 'running', crashLooping: [], blockedBy: null },
    },
  ];
  for (const c of cases) {
    it(c.title, () => {
      assert.deepEqual(instanceCondition({ stopped: c.stopped ?? false, configError: c.configError ?? null, modules: c.modules }), c.expect);
    });
  }
});
