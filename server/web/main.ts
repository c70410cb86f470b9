import { openDatabase } from '../db/connect.js';
import { requireMigrated } from '../db/migrate.js';
import { listenHttp } from '../shared/http-server.js';
import type { StartModule } from '../shared/run-process.js';
import { every, webhookRound } from '../webhooks/runner.js';
import { createWebApp, registerHttpMetrics } from './app.js';
import { recoverInterruptedWork } from './bulk/recover.js';
import { publicHousekeeping } from './public/housekeeping.js';
import { webReload } from './reload.js';
import { createViews } from './views.js';

/** The web module: console, public forms and API over HTTP. */
export const startWeb: StartModule = async ({ config, paths, log, signal, metrics }) => {
  const db = await openDatabase(config, paths, { log, retry: true, signal });
  await requireMigrated(db, log);
  const deps = { db, log, views: createViews(), httpMetrics: registerHttpMetrics(metrics.registry) };
  const web = createWebApp({ config, ...deps });
  await recoverInterruptedWork(db, log, web.bulk);
  const http = await listenHttp(web.app.callback(), config.web.host, config.web.port);
  log.info('WEB_LISTENING', { host: config.web.host, port: http.port });
  const clock = () => new Date();
  // Background work of the public side: webhook rounds (when endpoints are configured) and an hourly clean-up.
  const background = [every(3_600_000, () => publicHousekeeping({ db, config, log }, clock()), log, 'PUBLIC_HOUSEKEEPING_FAILED')];
  if (config.webhooks.endpoints.length > 0)
    background.push(every(config.webhooks.pollSeconds * 1000, () => webhookRound({ db, config, log, clock }), log, 'WEBHOOK_RUN_FAILED'));
  return {
    async stop() {
      web.deliveries.live.closeAll();
      await http.close();
      await web.events.intake.stop();
      await Promise.all(background.map((b) => b.stop()));
      await Promise.all([web.imports.idle(), web.bulk.stop()]);
      await web.deliveries.background.idle();
      await db.close();
    },
    status: () => ({ port: http.port }),
    reload: webReload(http, deps, web),
  };
};
