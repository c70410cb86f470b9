import Router from '@koa/router';
import { recentImportJobs } from '../../db/repos/import-jobs.js';
import type { ConsoleDeps } from '../console/deps.js';
import { requireOperator } from '../middleware/access.js';
import type { ConsoleState } from '../state.js';

/** GET /: the console's start page (after login). */
export function homeRoutes(deps: ConsoleDeps): Router<ConsoleState> {
  const router = new Router<ConsoleState>();
  router.get('/', requireOperator(), async (ctx) => {
    deps.render(ctx, '/admin/home', { title: deps.t('home.title'), total: await deps.recipientTotal(), imports: await recentImportJobs(deps.db, 5) });
  });
  return router;
}
