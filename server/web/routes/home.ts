import Router from '@koa/router';
import type { Eta } from 'eta';
import type { HeraldConfig } from '../../shared/config/schema.js';
import { VERSION } from '../../shared/version.js';

/** GET /: the appliance's front page. */
export function homeRoutes(views: Eta, config: HeraldConfig): Router {
  const router = new Router();
  router.get('/', (ctx) => {
    ctx.type = 'html';
    ctx.body = views.render('/home', { title: 'Herald', instance: config.instanceName, version: VERSION });
  });
  return router;
}
