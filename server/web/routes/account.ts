import Router from '@koa/router';
import { setOperatorTheme } from '../../db/repos/operators.js';
import { CONSOLE_THEMES, type ConsoleTheme } from '../../shared/glossary.js';
import type { ConsoleDeps } from '../console/deps.js';
import { bodyOf, text } from '../console/forms.js';
import { requireOperator } from '../middleware/access.js';
import type { ConsoleState } from '../state.js';

/** The operator's own settings: the console's appearance (light, dark, or the browser's setting) and the way to the password form. */
export function accountRoutes(deps: ConsoleDeps): Router<ConsoleState> {
  const router = new Router<ConsoleState>();
  router.use(requireOperator());
  router.get('/account', (ctx) => {
    deps.render(ctx, '/admin/account', { title: deps.t('account.title'), themes: ['auto', ...CONSOLE_THEMES], chosen: ctx.state.operator!.theme ?? 'auto' });
  });
  router.post('/account/appearance', async (ctx) => {
    const value = text(bodyOf(ctx.request), 'theme', 10);
    if (value !== 'auto' && !(CONSOLE_THEMES as readonly string[]).includes(value)) ctx.throw(400, deps.t('account.error.theme'));
    await setOperatorTheme(deps.db, ctx.state.operator!.id, value === 'auto' ? null : (value as ConsoleTheme));
    ctx.status = 303;
    ctx.redirect('/account?notice=saved');
  });
  return router;
}
