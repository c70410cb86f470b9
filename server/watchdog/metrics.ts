import { Counter, Gauge } from 'prom-client';
import type { Registry } from '../shared/metrics/registry.js';
import type { InstanceCondition, ModuleState, ModuleStatus, WatchdogStatus } from '../shared/watchdog-client.js';

const STATES: readonly ModuleState[] = ['starting', 'ready', 'stopping', 'backoff', 'crash-looping', 'stopped'];
const CONDITIONS: readonly InstanceCondition[] = ['running', 'not ready', 'crash-looping', 'blocked', 'stopped'];

/**
 * The watchdog's view of every instance's fleet, read from its status at each scrape. Labels:
 * `herald_instance` (the instance's name: a fixed set of validated names, `instances/<name>.toml`,
 * so the series stay bounded; not `instance`, which Prometheus sets on every scraped series to the
 * target's address and would rename ours to `exported_instance`), `supervised` (the module it runs;
 * `module` is the process's own, "watchdog"). Restarts per module, the state each module is in (one series per state, 1 for the
 * current one — `crash-looping` is what the crash-loop alert watches), each module's resident
 * memory, and each instance's condition (stopped on request, blocked by its config…).
 */
function everyModule(status: WatchdogStatus): Array<{ instance: string; m: ModuleStatus }> {
  const instances = status.instances ?? [];
  return instances.flatMap((i) => i.modules.map((m) => ({ instance: i.instance, m })));
}

export function registerWatchdogMetrics(registry: Registry, status: () => WatchdogStatus): void {
  new Counter({
    name: 'herald_watchdog_module_restarts_total',
    help: 'Restarts of a module done by the watchdog since it started (crashes, memory, daily and requested restarts).',
    labelNames: ['herald_instance', 'supervised'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { instance, m } of everyModule(status())) this.inc({ herald_instance: instance, supervised: m.module }, m.restarts);
    },
  });
  new Gauge({
    name: 'herald_watchdog_module_state',
    help: 'The state of each module of each instance: 1 for the state it is in, 0 for the others.',
    labelNames: ['herald_instance', 'supervised', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { instance, m } of everyModule(status())) {
        for (const state of STATES) this.set({ herald_instance: instance, supervised: m.module, state }, m.state === state ? 1 : 0);
      }
    },
  });
  new Gauge({
    name: 'herald_watchdog_module_resident_memory_bytes',
    help: "A module process's resident memory at its last heartbeat (absent while it does not run).",
    labelNames: ['herald_instance', 'supervised'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { instance, m } of everyModule(status())) if (m.rssBytes !== null) this.set({ herald_instance: instance, supervised: m.module }, m.rssBytes);
    },
  });
  new Gauge({
    name: 'herald_watchdog_instance_condition',
    help: 'The condition of each instance: 1 for the one it is in (running, not ready, crash-looping, blocked by its config, stopped on request), 0 for the others.',
    labelNames: ['herald_instance', 'condition'],
    registers: [registry],
    collect() {
      this.reset();
      for (const i of status().instances ?? [])
        for (const condition of CONDITIONS) this.set({ herald_instance: i.instance, condition }, i.condition === condition ? 1 : 0);
    },
  });
}
