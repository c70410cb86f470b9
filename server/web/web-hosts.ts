import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Eta } from 'eta';
import { configChanges } from '../shared/config/changes.js';
import { buildHostTable, resolveHost, type HostClaim, type HostTable } from '../shared/config/host-table.js';
import type { InstanceSet } from '../shared/config/instance-set.js';
import { instancePaths } from '../shared/config/paths.js';
import type { HeraldConfig } from '../shared/config/schema.js';
import type { Logger } from '../shared/logger.js';
import { instanceWatchdog } from './console/instance-watchdog.js';
import { sendHostPage } from './host-pages.js';
import { openWebSite, type WebSite } from './web-site.js';

/**
 * The web process's instances behind one listener (Adobe's multi-instance web module): the
 * default instance's site, opened before the process is ready, and every added instance's, opened
 * beside it (a database that is slow to answer delays only its own hosts, which answer 503 until
 * it is open). Each request goes to the instance its Host header names (host-table.ts): an unknown
 * host gets 421, never another instance's pages; a host of an instance that cannot be served, 503.
 * A reload re-reads every instance: a changed site config rebuilds that instance's app only, a new
 * one is opened, a removed one is closed, an invalid one keeps its running app (refused, logged).
 */
export interface WebHosts {
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Re-reads every instance (at start and at each reload); resolves once the changes are applied (new instances may still be opening). */
  sync(set: InstanceSet): Promise<void>;
  /** Instances by state, for the module's status. */
  status(): Record<string, string>;
  closeStreams(): void;
  stop(): Promise<void>;
}

interface Entry {
  site?: WebSite;
  opening?: AbortController;
  failed?: string;
}

export interface WebHostsOptions {
  main: WebSite;
  log: Logger;
  signal: AbortSignal;
  views: Eta;
}

export function createWebHosts({ main, log, signal, views }: WebHostsOptions): WebHosts {
  const entries = new Map<string, Entry>([[main.name, { site: main }]]);
  let table: HostTable = buildHostTable([], main.name);
  const opened: Array<Promise<void>> = [];

  const open = (config: HeraldConfig) => {
    const controller = new AbortController();
    const entry: Entry = { opening: controller };
    entries.set(config.instanceName, entry);
    const onAbort = () => controller.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    const siteLog = log.child({ instance: config.instanceName });
    const watchdog = () => instanceWatchdog(main.config, config.instanceName)();
    const done = openWebSite({ config, paths: instancePaths(config), log: siteLog, signal: controller.signal, views, watchdog })
      .then(async (site) => {
        if (entries.get(config.instanceName) !== entry || controller.signal.aborted) return site.stop();
        entry.site = site;
        entry.opening = undefined;
        log.info('WEB_INSTANCE_SERVED', { instance: config.instanceName, hosts: config.web.hosts });
      })
      .catch((err: unknown) => {
        entry.opening = undefined;
        entry.failed = 'database';
        if (!controller.signal.aborted) log.error('WEB_INSTANCE_FAILED', { instance: config.instanceName, err });
      })
      .finally(() => signal.removeEventListener('abort', onAbort));
    opened.push(done);
  };

  const close = async (name: string, entry: Entry) => {
    entries.delete(name);
    entry.opening?.abort();
    if (entry.site) {
      entry.site.closeStreams();
      await entry.site.stop();
    }
    log.info('WEB_INSTANCE_DROPPED', { instance: name });
  };

  return {
    handle(req, res) {
      const match = resolveHost(table, req.headers.host);
      if (match.kind === 'unknown') return sendHostPage(res, 421, req.headers['accept-language'], match.host);
      const site = match.kind === 'instance' ? entries.get(match.instance)?.site : undefined;
      if (!site) return sendHostPage(res, 503, req.headers['accept-language'], '');
      void site.handle(req, res);
    },
    async sync(set) {
      const claims: HostClaim[] = [];
      for (const instance of set.loaded) {
        claims.push({ instance: instance.name, hosts: instance.config.web.hosts });
        if (instance.isDefault) continue;
        const entry = entries.get(instance.name);
        if (!entry || entry.failed) {
          if (entry) entries.delete(instance.name);
          open(instance.config);
        } else if (entry.site) {
          const changed = configChanges(entry.site.config, instance.config);
          // Its database or data folder moved: the instance is opened again there (the others are untouched).
          if (changed.some((key) => key === 'dataDir' || key.startsWith('database.'))) {
            await close(instance.name, entry);
            open(instance.config);
          } else if (changed.length > 0) await entry.site.reload(instance.config, changed);
        }
      }
      for (const failed of set.failed) {
        const running = entries.get(failed.name)?.site;
        log.error('WEB_INSTANCE_CONFIG_ERROR', { instance: failed.name, reason: failed.reason, kept: running !== undefined });
        // An instance already served keeps its hosts on its last good config; one never served is refused by host.
        claims.push(
          running ? { instance: failed.name, hosts: running.config.web.hosts } : { instance: failed.name, hosts: failed.hosts.web, unavailable: true },
        );
      }
      const known = new Set([...set.loaded, ...set.failed].map((i) => i.name));
      for (const [name, entry] of entries) if (name !== main.name && !known.has(name)) await close(name, entry);
      table = buildHostTable(claims, main.name);
    },
    status() {
      return Object.fromEntries([...entries].map(([name, e]) => [name, e.site ? 'serving' : e.opening ? 'opening' : 'failed']));
    },
    closeStreams() {
      for (const entry of entries.values()) entry.site?.closeStreams();
    },
    async stop() {
      for (const entry of entries.values()) entry.opening?.abort();
      await Promise.allSettled(opened);
      await Promise.all([...entries.values()].map((e) => e.site?.stop()));
    },
  };
}
