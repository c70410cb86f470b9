import type { ModuleStatus, WatchdogStatus } from './watchdog-client.js';
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

export function renderStatusTable(status: WatchdogStatus, now = Date.now()): string {
  const rows = [['module', 'pid', 'state', 'uptime', 'restarts', 'rss', 'last exit'], ...status.modules.map((m) => row(m, now))];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
  const head = `watchdog pid ${status.pid}, up ${formatDuration(status.uptimeMs)}${status.stopping ? ', stopping' : ''}`;
  const refused = status.config?.refused;
  const config = refused
    ? [
        `config reload refused ${formatDuration(Math.max(0, now - Date.parse(refused.at)))} ago: ${refused.reason}`,
        `  every module runs on, and restarts with, the configuration loaded at ${status.config!.loadedAt}`,
      ]
    : [];
  return [head, ...config, ...lines].join('\n') + '\n';
}

/** Every module that should run is ready. */
export function allReady(status: WatchdogStatus): boolean {
  return status.modules.every((m) => m.state === 'ready' || (!m.autoStart && m.state === 'stopped'));
}
