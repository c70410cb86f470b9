import { Counter, Gauge } from 'prom-client';
import type { Registry } from '../shared/metrics/registry.js';
import type { ModuleState, WatchdogStatus } from '../shared/watchdog-client.js';

const STATES: readonly ModuleState[] = ['starting', 'ready', 'stopping', 'backoff', 'crash-looping', 'stopped'];

/**
 * The watchdog's view of the fleet (label `supervised`: the module it runs; `module` is the
 * process's own, "watchdog"), read from its status at each scrape: restarts per module, the
 * state each module is in (one series per state, 1 for the current one — `crash-looping` is what
 * the crash-loop alert watches) and each module's resident memory.
 */
export function registerWatchdogMetrics(registry: Registry, status: () => WatchdogStatus): void {
  new Counter({
    name: 'herald_watchdog_module_restarts_total',
    help: 'Restarts of a module done by the watchdog since it started (crashes, memory, daily and requested restarts).',
    labelNames: ['supervised'],
    registers: [registry],
    collect() {
      this.reset();
      for (const m of status().modules) this.inc({ supervised: m.module }, m.restarts);
    },
  });
  new Gauge({
    name: 'herald_watchdog_module_state',
    help: 'The state of each module: 1 for the state it is in, 0 for the others.',
    labelNames: ['supervised', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const m of status().modules) for (const state of STATES) this.set({ supervised: m.module, state }, m.state === state ? 1 : 0);
    },
  });
  new Gauge({
    name: 'herald_watchdog_module_resident_memory_bytes',
    help: "A module process's resident memory at its last heartbeat (absent while it does not run).",
    labelNames: ['supervised'],
    registers: [registry],
    collect() {
      this.reset();
      for (const m of status().modules) if (m.rssBytes !== null) this.set({ supervised: m.module }, m.rssBytes);
    },
  });
}
