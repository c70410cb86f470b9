import { EXIT } from '../../shared/exit-codes.js';
import { UsageError } from '../../shared/errors.js';
import { watchdogStatus, type WatchdogStatus } from '../../shared/watchdog-client.js';
import type { Command, CommandInput } from '../command.js';
import { commandConfig } from '../context.js';

/**
 * `herald metrics [<module>]`: the Prometheus exposition of every running module of every instance
 * of the appliance, read from each module's metrics port (the watchdog's status says which port each
 * one bound; an added instance's modules take any free port).
 * With a module name, only that module's exposition, exactly as Prometheus scrapes it (pipe it to
 * `promtool check metrics`); without, every module's in turn, each after a `# herald module:` line.
 */

interface Target {
  module: string;
  /** The instance whose module it is (undefined: the default instance's, or the watchdog). */
  instance?: string;
  port: number;
}

/** Every running module of every instance (the default one first, as before there were several). */
function targets(status: WatchdogStatus): Target[] {
  const out: Target[] = [];
  if (typeof status.metricsPort === 'number') out.push({ module: 'watchdog', port: status.metricsPort });
  const instances = status.instances ?? [{ instance: '', default: true, modules: status.modules }];
  for (const i of instances) {
    for (const m of i.modules) {
      const port = m.state === 'ready' ? m.details?.metricsPort : undefined;
      if (typeof port === 'number') out.push({ module: m.module, ...(i.default ? {} : { instance: i.instance }), port });
    }
  }
  return out;
}

/** A wildcard listen address is reached on loopback. */
const reachable = (host: string) => (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host);

async function scrape(host: string, port: number): Promise<string> {
  const res = await fetch(`http://${reachable(host)}:${port}/metrics`, { signal: AbortSignal.timeout(10_000) });
  if (res.status !== 200) throw new Error(`answered ${res.status}`);
  return res.text();
}

async function metrics(input: CommandInput): Promise<number> {
  // The one watchdog is the default instance's, whatever --instance names (it picks whose module).
  const { config, paths } = commandConfig({ ...input, instance: undefined });
  const [only] = input.args;
  const ofInstance = (t: Target) => only === 'watchdog' || (t.instance ?? config.instanceName) === (input.instance ?? config.instanceName);
  const status = await watchdogStatus(config, paths);
  if (!status) {
    input.err.write('herald: Herald is not running (start it with: herald start)\n');
    return EXIT.UNAVAILABLE;
  }
  if (!config.metrics.enabled) {
    input.err.write('herald: metrics are off (metrics.enabled = false)\n');
    return EXIT.UNAVAILABLE;
  }
  const all = targets(status);
  const chosen = only ? all.filter((t) => t.module === only && ofInstance(t)) : all;
  if (input.instance && !status.instances?.some((i) => i.instance === input.instance))
    throw new UsageError(`no instance "${input.instance}" in the running Herald`);
  if (only && chosen.length === 0) {
    if (only !== 'watchdog' && !status.modules.some((m) => m.module === only)) throw new UsageError(`unknown module: ${only}`);
    input.err.write(`herald: ${only} is not running or serves no metrics\n`);
    return EXIT.UNAVAILABLE;
  }
  let failed = 0;
  for (const t of chosen) {
    try {
      const text = await scrape(config.metrics.host, t.port);
      input.out.write(only ? text : `# herald module: ${t.module} (${t.instance ? `instance ${t.instance}, ` : ''}port ${t.port})\n${text}\n`);
    } catch (err) {
      failed++;
      input.err.write(
        `herald: ${t.module}${t.instance ? ` of ${t.instance}` : ''} metrics on port ${t.port}: ${err instanceof Error ? err.message : String(err)}\n`,
      );
    }
  }
  return failed === 0 ? EXIT.OK : EXIT.FAILURE;
}

export const metricsCommands: Command[] = [
  {
    words: ['metrics'],
    usage: 'metrics [<module>] [--instance <name>]',
    summary:
      "print the Prometheus metrics of every running module of every instance (or of one: the watchdog, web, tracking, mta, inmail, wfserver…, the default instance's unless --instance names another)",
    args: [0, 1],
    run: metrics,
  },
];
