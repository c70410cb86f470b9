import type { Eta } from 'eta';
import { openDatabase } from '../db/connect.js';
import { requireMigrated } from '../db/migrate.js';
import type { InstancePaths } from '../shared/config/paths.js';
import type { HeraldConfig } from '../shared/config/schema.js';
import type { HttpHandler } from '../shared/http-server.js';
import type { Logger } from '../shared/logger.js';
import type { ReloadResult } from '../shared/run-process.js';
import { every, webhookRound } from '../webhooks/runner.js';
import { createWebApp } from './app.js';
import type { InstanceWatchdog } from './console/instance-watchdog.js';
import type { HttpMetrics } from './middleware/request-metrics.js';
import { recoverInterruptedWork } from './bulk/recover.js';
import { publicHousekeeping } from './public/housekeeping.js';
import { webReload } from './reload.js';

/**
 * One instance as the web process serves it: its database connection, its console, public pages
 * and API (sessions, CSRF tokens and links signed with its own secrets, its own wording overrides),
 * its background rounds (webhooks, hourly clean-up). The host dispatcher hands it the requests for
 * its hosts; a reload rebuilds its app around the same work in progress.
 */
export interface WebSite {
  readonly name: string;
  config: HeraldConfig;
  handle: HttpHandler;
  reload(next: HeraldConfig, changed: readonly string[]): ReloadResult | Promise<ReloadResult>;
  /** Ends the live dashboard streams (before the HTTP server closes: they hold connections open). */
  closeStreams(): void;
  stop(): Promise<void>;
}

export interface WebSiteOptions {
  config: HeraldConfig;
  paths: InstancePaths;
  log: Logger;
  signal: AbortSignal;
  views: Eta;
  /** Request durations by route: the default instance's only (one instance's monitoring never shows another's). */
  httpMetrics?: HttpMetrics;
  /** How an added instance's console reads the watchdog (through the default instance's control settings). */
  watchdog?: InstanceWatchdog;
}

export async function openWebSite({ config, paths, log, signal, views, httpMetrics, watchdog }: WebSiteOptions): Promise<WebSite> {
  const db = await openDatabase(config, paths, { log, retry: true, signal });
  try {
    await requireMigrated(db, log);
  } catch (err) {
    await db.close();
    throw err;
  }
  const deps = { db, log, views, httpMetrics, watchdog };
  const web = createWebApp({ config, ...deps });
  await recoverInterruptedWork(db, log, web.bulk);
  const clock = () => new Date();
  // Background work of the public side: webhook rounds (when endpoints are configured) and an hourly clean-up.
  const background = [every(3_600_000, () => publicHousekeeping({ db, config, log }, clock()), log, 'PUBLIC_HOUSEKEEPING_FAILED')];
  if (config.webhooks.endpoints.length > 0)
    background.push(every(config.webhooks.pollSeconds * 1000, () => webhookRound({ db, config, log, clock }), log, 'WEBHOOK_RUN_FAILED'));
  const site: WebSite = {
    name: config.instanceName,
    config,
    handle: web.app.callback(),
    reload: (next, changed) => {
      site.config = next;
      return rebuild(next, changed);
    },
    closeStreams: () => web.deliveries.live.closeAll(),
    async stop() {
      web.deliveries.live.closeAll();
      await web.events.intake.stop();
      await Promise.all(background.map((b) => b.stop()));
      await Promise.all([web.imports.idle(), web.bulk.stop()]);
      await web.deliveries.background.idle();
      await db.close();
    },
  };
  const rebuild = webReload({ setHandler: (handler) => (site.handle = handler) }, deps, web);
  return site;
}
