import Router from '@koa/router';
import type { ConsoleDeps } from '../console/deps.js';
import { need, requireOperator } from '../middleware/access.js';
import { INDICATOR_GROUPS } from '../reports/indicator-definitions.js';
import type { ConsoleState } from '../state.js';

/** GET /reports/definitions (view_reports): what every report figure means and how it is computed; reports link here per figure. */
export function definitionRoutes(deps: ConsoleDeps): Router<ConsoleState> {
  const router = new Router<ConsoleState>();
  router.get('/reports/definitions', requireOperator(), need('view_reports', deps.log), (ctx) => {
    deps.render(ctx, '/admin/reports/definitions', { title: deps.t('definitions.title'), groups: INDICATOR_GROUPS });
  });
  return router;
}
