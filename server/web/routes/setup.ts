import Router from '@koa/router';
import type { ConsoleDeps } from '../console/deps.js';
import { need, requireOperator } from '../middleware/access.js';
import { setupItems } from '../setup/setup-facts.js';
import type { ConsoleState } from '../state.js';

/** GET /setup (admin): the setup checklist looked at afresh, each item with what was found and how to fix it. */
export function setupRoutes(deps: ConsoleDeps): Router<ConsoleState> {
  const router = new Router<ConsoleState>();
  router.get('/setup', requireOperator(), need('admin', deps.log), async (ctx) => {
    deps.render(ctx, '/admin/setup', { title: deps.t('setup.title'), items: await setupItems(deps.config, deps.db) });
  });
  return router;
}
