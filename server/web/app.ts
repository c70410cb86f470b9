import type { Eta } from 'eta';
import Koa from 'koa';
import type { Database } from '../db/connect.js';
import type { HeraldConfig } from '../shared/config/schema.js';
import type { Logger } from '../shared/logger.js';
import { errorPages } from './middleware/errors.js';
import { securityHeaders } from './middleware/security-headers.js';
import { healthRoutes } from './routes/health.js';
import { homeRoutes } from './routes/home.js';
import { staticRoutes } from './routes/static.js';

export interface WebDeps {
  config: HeraldConfig;
  db: Database;
  log: Logger;
  views: Eta;
}

/** The web module's Koa application: security headers, friendly errors, then the routes. */
export function createWebApp({ config, db, log, views }: WebDeps): Koa {
  const app = new Koa({ proxy: config.web.trustProxy });
  app.silent = true;
  app.use(securityHeaders({ https: config.web.publicUrl.startsWith('https:') }));
  app.use(errorPages(views, log));
  for (const router of [healthRoutes(db), staticRoutes(), homeRoutes(views, config)]) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  return app;
}
