import Router from '@koa/router';
import { saveOperatorPreferences } from '../../db/repos/operator-preferences.js';
import { CONSOLE_THEMES } from '../../shared/glossary.js';
import type { ConsoleDeps } from '../console/deps.js';
import { bodyOf, type FieldErrors } from '../console/forms.js';
import { parsePreferencesForm, TIME_ZONE_CHOICES } from '../forms/preferences-form.js';
import { requireOperator } from '../middleware/access.js';
import { languageChoices, languageName } from '../i18n/language-names.js';
import type { ConsoleContext, ConsoleState } from '../state.js';

/** The operator's own settings: preferences (appearance, time zone of the dates shown) and the way to the password form. */
export function accountRoutes(deps: ConsoleDeps): Router<ConsoleState> {
  const router = new Router<ConsoleState>();
  router.use(requireOperator());
  const page = (ctx: ConsoleContext, errors: FieldErrors = {}) => {
    const op = ctx.state.operator!;
    deps.render(ctx, '/admin/account', {
      title: deps.t('account.title'),
      themes: ['auto', ...CONSOLE_THEMES],
      zones: TIME_ZONE_CHOICES,
      chosen: op.theme ?? 'auto',
      chosenZone: op.timeZone ?? '',
      languages: languageChoices(),
      chosenLanguage: op.language ?? '',
      defaultLanguage: languageName(deps.config.languages.default),
      errors,
    });
  };
  router.get('/account', (ctx) => page(ctx));
  router.post('/account/preferences', async (ctx) => {
    const { changes, errors } = parsePreferencesForm(bodyOf(ctx.request));
    if (Object.keys(errors).length > 0) {
      ctx.status = 400;
      return page(ctx, errors);
    }
    await saveOperatorPreferences(deps.db, ctx.state.operator!.id, changes);
    ctx.status = 303;
    ctx.redirect('/account?notice=saved');
  });
  return router;
}
