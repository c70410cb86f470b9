import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * One Prometheus registry per Herald process: the process metrics of prom-client (CPU, memory,
 * event-loop lag, handles, GC) plus what the module registers. Every series carries a `module`
 * label (web, tracking, mta, inmail, wfserver, sms, watchdog), so one job can scrape every module and
 * dashboards can still tell them apart.
 *
 * Naming (checked by test/shared/metrics/): `herald_<module>_<what>_<unit>`, counters end in
 * `_total`, durations are in seconds and sizes in bytes; a label never holds a recipient, an
 * address, a URL, a raw path or a token — only values from a fixed list or from the config.
 */
export function createRegistry(module: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ module });
  collectDefaultMetrics({ register: registry });
  // Gauges named like counters (promtool refuses them); nodejs_active_resources{type} gives the same, by type.
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) registry.removeSingleMetric(name);
  return registry;
}

export type { Registry };
