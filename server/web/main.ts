import { openDatabase } from '../db/connect.js';
import { requireMigrated } from '../db/migrate.js';
import { failInterruptedImports } from '../db/repos/import-jobs.js';
import { listenHttp } from '../shared/http-server.js';
import type { StartModule } from '../shared/run-process.js';
import { createWebApp } from './app.js';
import { createViews } from './views.js';

/** The web module: console, public forms and API over HTTP. */
export const startWeb: StartModule = async ({ config, paths, log, signal }) => {
  const db = await openDatabase(config, paths, { log, retry: true, signal });
  await requireMigrated(db, log);
  const interrupted = await failInterruptedImports(db, 'the web module stopped during the import', new Date());
  if (interrupted > 0) log.warn('WEB_IMPORTS_INTERRUPTED', { count: interrupted });
  const { app, imports, deliveries } = createWebApp({ config, db, log, views: createViews() });
  const http = await listenHttp(app.callback(), config.web.host, config.web.port);
  log.info('WEB_LISTENING', { host: config.web.host, port: http.port });
  return {
    async stop() {
      deliveries.live.closeAll();
      await http.close();
      await imports.idle();
      await deliveries.background.idle();
      await db.close();
    },
    status: () => ({ port: http.port }),
  };
};
