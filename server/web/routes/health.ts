import Router from '@koa/router';
import type { Database } from '../../db/connect.js';
import { ping } from '../../db/health.js';
import { VERSION } from '../../shared/version.js';

/** GET /health: for the watchdog and load balancers. 200 when the database answers, 503 otherwise. */
export function healthRoutes(db: Database): Router {
  const router = new Router();
  router.get('/health', async (ctx) => {
    const database = (await ping(db)) ? 'ok' : 'unreachable';
    ctx.status = database === 'ok' ? 200 : 503;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: database === 'ok' ? 'ok' : 'degraded', module: 'web', version: VERSION, database };
  });
  return router;
}
