import assert from 'node:assert/strict';
import type { ModuleStatus, WatchdogStatus } from '../../server/shared/watchdog-client.js';
import { allReady, formatDuration, renderStatusTable } from '../../server/shared/watchdog-status-table.js';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const base: ModuleStatus = {
  module: 'web',
  state: 'ready',
  autoStart: true,
  runLevel: 20,
  pid: 4242,
  uptimeMs: 7_380_000,
  restarts: 0,
  rssBytes: 96 * 1024 * 1024,
  memory: 'ok',
  lastExit: null,
  nextStartInMs: null,
  details: null,
};
const status: WatchdogStatus = {
  pid: 4000,
  startedAt: '2026-03-10T09:00:00Z',
  uptimeMs: 10_800_000,
  stopping: false,
  modules: [
    { ...base, module: 'tracking', runLevel: 10, pid: 4100, restarts: 2, lastExit: { code: null, signal: 'SIGKILL', at: '2026-03-10T11:58:00Z' } },
    base,
    {
      ...base,
      module: 'mta',
      state: 'backoff',
      pid: null,
      uptimeMs: null,
      rssBytes: null,
      restarts: 3,
      lastExit: { code: 1, signal: null, at: '2026-03-10T11:59:59Z' },
      nextStartInMs: 1500,
    },
    {
      ...base,
      module: 'inmail',
      state: 'stopped',
      pid: null,
      uptimeMs: null,
      rssBytes: null,
      lastExit: { code: 78, signal: null, at: '2026-03-10T11:00:00Z', reason: 'config error: herald.toml: mail.bounceDomain: missing key' },
    },
    { ...base, module: 'wfserver', state: 'stopped', autoStart: false, pid: null, uptimeMs: null, rssBytes: null, memory: 'ok' },
  ],
};

describe('watchdog status table', () => {
  it('prints one line per module like nlserver pdump: pid, state, uptime, restarts, memory, last exit', () => {
    assert.equal(
      renderStatusTable(status, NOW),
      [
        'watchdog pid 4000, up 3h00m',
        'module    pid   state                    uptime  restarts  rss    last exit',
        'tracking  4100  ready                    2h03m   2         96 MB  SIGKILL, 2m00s ago',
        'web       4242  ready                    2h03m   0         96 MB  -',
        'mta       -     backoff (start in 1.5s)  -       3         -      code 1, 1.0s ago',
        'inmail    -     stopped                  -       0         -      code 78, 1h00m ago: config error: herald.toml: mail.bounceDomain: missing key',
        'wfserver  -     stopped (no autoStart)   -       0         -      -',
        '',
      ].join('\n'),
    );
  });

  const durations: Array<[number, string]> = [
    [450, '0.5s'],
    [12_000, '12s'],
    [61_000, '1m01s'],
    [3_600_000, '1h00m'],
    [90_000_000, '1d01h'],
  ];
  for (const [ms, text] of durations) it(`shows ${ms} ms as ${text}`, () => assert.equal(formatDuration(ms), text));

  it('counts a module without autoStart that is stopped as fine, any other module that is not ready as not', () => {
    assert.equal(allReady(status), false);
    assert.equal(allReady({ ...status, modules: [base, status.modules[4]!] }), true);
  });

  it('shows a running module that reports a problem as unhealthy, and a refused reload with the configuration modules run on', () => {
    const full = {
      health: { ok: false, problems: [{ area: 'database', reason: 'storage full (SQLITE_FULL)', since: '2026-03-10T11:59:00Z' }] },
    };
    const text = renderStatusTable(
      {
        ...status,
        config: { loadedAt: '2026-03-10T09:00:00Z', refused: { at: '2026-03-10T11:59:30Z', reason: 'herald.toml: mta.tls: expected one of …' } },
        modules: [{ ...base, module: 'mta', details: full }, base],
      },
      NOW,
    );
    const lines = text.split('\n');
    assert.equal(lines[1], 'config reload refused 30s ago: herald.toml: mta.tls: expected one of …');
    assert.equal(lines[2], '  every module runs on, and restarts with, the configuration loaded at 2026-03-10T09:00:00Z');
    assert.match(lines[4] ?? '', /^mta +4242 +ready \(unhealthy: database: storage full \(SQLITE_FULL\)\) /);
    assert.match(lines[5] ?? '', /^web +4242 +ready +2h03m/, 'a healthy module shows no problem');
  });
});
