import type { InstanceStatus, ModuleStatus, WatchdogStatus } from './watchdog-client.js';
import { unhealthy } from './health.js';

/**
 * `herald status` as a table, like Adobe's `nlserver pdump` (pure: the status already holds relative
 * times). Read by the CLI from the watchdog's control port, so it lives with the control client.
 */

export function formatDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return ms < 10_000 ? `${(ms / 1000).toFixed(1)}s` : `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d${String(h % 24).padStart(2, '0')}h`;
}

function lastExit(m: ModuleStatus, now: number): string {
  if (!m.lastExit) return '-';
  const how = m.lastExit.signal ?? `code ${m.lastExit.code}`;
  const ago = formatDuration(Math.max(0, now - Date.parse(m.lastExit.at)));
  return `${how}, ${ago} ago${m.lastExit.reason ? `: ${m.lastExit.reason}` : ''}`;
}

function row(m: ModuleStatus, now: number): string[] {
  let state =
    m.nextStartInMs !== null
      ? `${m.state} (start in ${formatDuration(m.nextStartInMs)})`
      : m.autoStart || m.state !== 'stopped'
        ? m.state
        : 'stopped (no autoStart)';
  const problems = unhealthy(m.details ?? undefined);
  if (problems) state = `${state} (unhealthy: ${problems})`;
  const rss = m.rssBytes === null ? '-' : `${Math.round(m.rssBytes / (1024 * 1024))} MB${m.memory === 'ok' ? '' : ` (${m.memory})`}`;
  return [
    m.module,
    m.pid === null ? '-' : String(m.pid),
    state,
    m.uptimeMs === null ? '-' : formatDuration(m.uptimeMs),
    String(m.restarts),
    rss,
    lastExit(m, now),
  ];
}

function moduleTable(modules: readonly ModuleStatus[], now: number, indent = ''): string[] {
  const rows = [['module', 'pid', 'state', 'uptime', 'restarts', 'rss', 'last exit'], ...modules.map((m) => row(m, now))];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map(
    (r) =>
      indent +
      r
        .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
  );
}

function refusedLines(config: InstanceStatus['config'], now: number, indent = ''): string[] {
  const refused = config?.refused;
  return refused
    ? [
        `${indent}config reload refused ${formatDuration(Math.max(0, now - Date.parse(refused.at)))} ago: ${refused.reason}`,
        `${indent}  every module runs on, and restarts with, the configuration loaded at ${config!.loadedAt}`,
      ]
    : [];
}

/** One block per instance (the default one first) once there are several; one table as before otherwise. */
export function renderStatusTable(status: WatchdogStatus, now = Date.now()): string {
  const head = `watchdog pid ${status.pid}, up ${formatDuration(status.uptimeMs)}${status.stopping ? ', stopping' : ''}`;
  const instances = status.instances ?? [];
  if (instances.length <= 1) return [head, ...refusedLines(status.config, now), ...moduleTable(status.modules, now)].join('\n') + '\n';
  const blocks = instances.flatMap((i) => {
    const state = i.configError
      ? `: config error: ${i.configError}`
      : i.stopped
        ? `: stopped on request${i.stoppedAt ? ` ${formatDuration(Math.max(0, now - Date.parse(i.stoppedAt)))} ago` : ''} (herald start ${i.instance} starts it)`
        : i.condition === 'crash-looping'
          ? `: crash-looping (${i.crashLooping.join(', ')})`
          : i.condition === 'blocked'
            ? `: blocked by ${i.blockedBy}`
            : '';
    return [
      '',
      `instance ${i.instance}${i.default ? ' (default; web and tracking serve every instance)' : ''}${state}`,
      ...refusedLines(i.config, now, '  '),
      ...(i.modules.length ? moduleTable(i.modules, now, '  ') : []),
    ];
  });
  return [head, ...blocks].join('\n') + '\n';
}

/** Every module that should run, of every instance not stopped on request, is ready (an instance with a config error is not). */
export function allReady(status: WatchdogStatus): boolean {
  const ready = (modules: readonly ModuleStatus[]) => modules.every((m) => m.state === 'ready' || (!m.autoStart && m.state === 'stopped'));
  if (!status.instances) return ready(status.modules);
  return status.instances.every((i) => i.stopped || (!i.configError && ready(i.modules)));
}
