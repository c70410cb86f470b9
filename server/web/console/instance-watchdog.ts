import { MULTI_INSTANCE_MODULES } from '../../shared/config/instances.js';
import { instancePaths } from '../../shared/config/paths.js';
import type { HeraldConfig } from '../../shared/config/schema.js';
import { watchdogStatus, type WatchdogStatus } from '../../shared/watchdog-client.js';

/**
 * The watchdog status one instance's console shows (home and monitoring pages): its own modules
 * and the multi-instance ones that serve it (web, tracking), never another instance's. The one
 * watchdog of the appliance is reached through the default instance's control settings.
 */
export type InstanceWatchdog = () => Promise<WatchdogStatus | undefined>;

/** Pure: the status narrowed to `instance` (a status without instances is a single instance's already). */
export function instanceView(status: WatchdogStatus, instance: string): WatchdogStatus {
  const { instances, ...rest } = status;
  if (!instances) return status;
  const own = instances.find((i) => i.instance === instance);
  if (own?.default) return rest;
  const shared = status.modules.filter((m) => MULTI_INSTANCE_MODULES.includes(m.module));
  return { ...rest, modules: [...shared, ...(own?.modules ?? [])] };
}

/** The status for `instance`, read with `control`'s config (the default instance's: the watchdog's control port and token). */
export function instanceWatchdog(control: HeraldConfig, instance: string): InstanceWatchdog {
  return async () => {
    const status = await watchdogStatus(control, instancePaths(control));
    return status && instanceView(status, instance);
  };
}
