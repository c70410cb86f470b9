import type { HeraldConfig, ModuleName } from '../shared/config/schema.js';
import type { RestartPolicy } from './restart-policy.js';

/** What the watchdog needs to know about each module, read from `modules.<name>` and `[watchdog]`. */
export interface ModuleSettings {
  autoStart: boolean;
  runLevel: number;
  startupTimeoutMs: number;
  heartbeatIntervalMs: number;
  heartbeatTimeoutMs: number;
  memoryWarningMb: number;
  memoryAlertMb: number;
  /** "HH:MM" or "" (no daily restart). */
  processRestartTime: string;
  /** How long a stop may drain before the process is killed. */
  stopTimeoutMs: number;
}

export function moduleSettings(config: HeraldConfig, name: ModuleName): ModuleSettings {
  return { ...config.modules[name], stopTimeoutMs: config.watchdog.stopTimeoutMs };
}

export function restartPolicy(config: HeraldConfig): RestartPolicy {
  const { backoffInitialMs, backoffFactor, backoffMaxMs, stableAfterMs, crashLoopCount, crashLoopWindowMs, crashLoopRestartDelayMs } = config.watchdog;
  return { backoffInitialMs, backoffFactor, backoffMaxMs, stableAfterMs, crashLoopCount, crashLoopWindowMs, crashLoopRestartDelayMs };
}

/** Module names grouped by run level, lowest level first (the start order; stop is the reverse). */
export function runLevelGroups(modules: ReadonlyArray<{ name: string; runLevel: number }>): string[][] {
  const levels = [...new Set(modules.map((m) => m.runLevel))].sort((a, b) => a - b);
  return levels.map((level) => modules.filter((m) => m.runLevel === level).map((m) => m.name));
}
