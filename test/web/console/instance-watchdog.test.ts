import assert from 'node:assert/strict';
import { instanceView } from '../../../server/web/console/instance-watchdog.js';
import type { InstanceStatus, ModuleStatus, WatchdogStatus } from '../../../server/shared/watchdog-client.js';
import { moduleStatus } from '../../helpers/module-status.js';

const module = (name: string, pid: number): ModuleStatus => moduleStatus(name, { pid, runLevel: 1 });
const instance = (name: string, isDefault: boolean, modules: ModuleStatus[]): InstanceStatus => ({
  instance: name,
  default: isDefault,
  siteFile: `/etc/herald/${name}.toml`,
  stopped: false,
  stoppedAt: null,
  condition: 'running',
  crashLooping: [],
  blockedBy: null,
  configError: null,
  modules,
});
const own = [module('web', 1), module('tracking', 2), module('mta', 3)];
const status: WatchdogStatus = {
  pid: 100,
  startedAt: '2026-12-07T20:00:00.000Z',
  uptimeMs: 1000,
  stopping: false,
  modules: own,
  instances: [
    instance('herald', true, own),
    instance('brand-b', false, [module('mta', 13), module('wfserver', 14)]),
    instance('brand-c', false, [module('mta', 23)]),
  ],
} as WatchdogStatus;

describe("the watchdog status an instance's console shows", () => {
  const cases: Array<[string, WatchdogStatus, string, number[]]> = [
    ['the default instance: its own fleet', status, 'herald', [1, 2, 3]],
    ['an added instance: the web and tracking serving it, then its own modules', status, 'brand-b', [1, 2, 13, 14]],
    ['an instance the watchdog does not know: the shared modules only', status, 'brand-z', [1, 2]],
    ['a status without instances (one instance): as it is', { ...status, instances: undefined }, 'herald', [1, 2, 3]],
  ];
  for (const [what, given, name, pids] of cases) {
    it(`shows ${what}`, () => {
      const view = instanceView(given, name);
      assert.deepEqual(
        view.modules.map((m) => m.pid),
        pids,
      );
      assert.equal(view.instances, undefined, 'never the list of the other instances');
    });
  }
});
