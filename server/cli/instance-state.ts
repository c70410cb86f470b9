import { fromRoot } from '../shared/app-root.js';
import { loadControlSettings } from '../shared/config/control-settings.js';
import { controlRequest, watchdogStatus } from '../shared/watchdog-client.js';
import type { CommandInput } from './command.js';

/** How to reach the one watchdog of the appliance: through the install's own (default) site config, whatever --instance says. */
export function mainControl(input: Pick<CommandInput, 'siteFile' | 'overrides'>) {
  const { settings, problem } = loadControlSettings({ siteFile: input.siteFile, overrides: input.overrides });
  return { config: settings, paths: { dataDir: fromRoot(settings.dataDir) }, problem };
}

export interface InstanceState {
  /** running (some module up), stopped (on request, or none of its modules up), not supervised (no watchdog knows it). */
  state: 'running' | 'stopped' | 'not supervised' | 'config error';
  running: boolean;
  /** Its modules that have a process. */
  modules: string[];
  /** Tells a running watchdog to let go of the (stopped) instance; nothing when none runs. */
  forget(): Promise<void>;
}

/** What the running watchdog says of one instance. */
export async function runningInstance(input: Pick<CommandInput, 'siteFile' | 'overrides'>, name: string): Promise<InstanceState> {
  const { config, paths } = mainControl(input);
  const status = await watchdogStatus(config, paths);
  const entry = status?.instances?.find((i) => i.instance === name);
  const modules = entry?.modules.filter((m) => m.pid !== null).map((m) => m.module) ?? [];
  const forget = async () => {
    if (entry) await controlRequest(config, paths, 'POST', `/instances/forget?instance=${encodeURIComponent(name)}`);
  };
  if (!entry) return { state: 'not supervised', running: false, modules, forget };
  if (entry.configError) return { state: 'config error', running: false, modules, forget };
  return { state: modules.length > 0 ? 'running' : 'stopped', running: modules.length > 0, modules, forget };
}
