import Router from '@koa/router';
import { isUniqueViolation } from '../../db/errors.js';
import { createOperator, findOperatorById, listOperators, setPasswordById, updateOperator } from '../../db/repos/operators.js';
import { NAMED_RIGHTS } from '../../shared/glossary.js';
import { generatePassword } from '../../shared/password.js';
import { auditOf, type ConsoleDeps } from '../console/deps.js';
import { bodyOf, id } from '../console/forms.js';
import { parseOperatorForm, type OperatorForm } from '../forms/operator-form.js';
import { languageChoices, languageName } from '../i18n/language-names.js';
import { need, requireOperator } from '../middleware/access.js';
import type { ConsoleContext, ConsoleState } from '../state.js';

/** Operator management, for administrators: create with a one-time password, rights, disable, reset. */
export function operatorRoutes(deps: ConsoleDeps): Router<ConsoleState> {
  const { db, log, render, t, passwords } = deps;
  const router = new Router<ConsoleState>();
  router.use(requireOperator(), need('admin', log));

  const formPage = (ctx: ConsoleContext, data: { form: Partial<OperatorForm>; errors?: Record<string, string>; operatorId?: number }) =>
    render(ctx, '/admin/operators/form', {
      title: t(data.operatorId ? 'operators.edit' : 'operators.new'),
      rights: NAMED_RIGHTS,
      languages: languageChoices(),
      defaultLanguage: languageName(deps.config.languages.default),
      errors: {},
      ...data,
    });
  const showPassword = (ctx: ConsoleContext, login: string, password: string) =>
    render(ctx, '/admin/operators/password', { title: t('operators.password_title'), login, password });

  router.get('/operators', async (ctx) => render(ctx, '/admin/operators/list', { title: t('operators.title'), operators: await listOperators(db) }));
  router.get('/operators/new', (ctx) => formPage(ctx, { form: { rights: [] } }));

  router.post('/operators', async (ctx) => {
    const { form, errors } = parseOperatorForm(bodyOf(ctx.request));
    if (Object.keys(errors).length > 0) return void ((ctx.status = 400), formPage(ctx, { form, errors }));
    const password = generatePassword();
    try {
      const audit = auditOf(ctx, deps, 'operator_created', { type: 'operator' }, { login: form.login, rights: form.rights });
      await createOperator(
        db,
        {
          login: form.login,
          name: form.name,
          email: form.email,
          passwordHash: await passwords.hash(password),
          rights: form.rights,
          mustChangePassword: true,
          language: form.language,
        },
        audit,
      );
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      ctx.status = 400;
      return formPage(ctx, { form, errors: { login: 'operators.error.exists' } });
    }
    log.info('OPERATOR_CREATED', { login: form.login, rights: form.rights });
    showPassword(ctx, form.login, password);
  });

  router.get('/operators/:id', async (ctx) => {
    const operator = await findOperatorById(db, id(ctx.params.id) ?? 0);
    if (!operator) return;
    formPage(ctx, {
      operatorId: operator.id,
      form: {
        login: operator.login,
        name: operator.name,
        email: operator.email,
        rights: operator.rights,
        disabled: operator.disabled,
        language: operator.language,
      },
    });
  });

  router.post('/operators/:id', async (ctx) => {
    const operator = await findOperatorById(db, id(ctx.params.id) ?? 0);
    if (!operator) return;
    const { form, errors } = parseOperatorForm({ ...bodyOf(ctx.request), login: operator.login });
    // An administrator cannot lock themselves out: no disabling or dropping admin on their own account.
    if (operator.id === ctx.state.operator!.id && (form.disabled || !form.rights.includes('admin'))) errors.rights = 'operators.error.self';
    if (Object.keys(errors).length > 0) return void ((ctx.status = 400), formPage(ctx, { operatorId: operator.id, form, errors }));
    const changes = { name: form.name, email: form.email, rights: form.rights, disabled: form.disabled, language: form.language };
    await updateOperator(
      db,
      operator.id,
      changes,
      auditOf(ctx, deps, 'operator_updated', { type: 'operator', id: operator.id }, { rights: form.rights, disabled: form.disabled }),
    );
    log.info('OPERATOR_UPDATED', { login: operator.login, by: ctx.state.operator!.login });
    ctx.status = 303;
    ctx.redirect('/operators?notice=saved');
  });

  router.post('/operators/:id/password', async (ctx) => {
    const operator = await findOperatorById(db, id(ctx.params.id) ?? 0);
    if (!operator) return;
    const password = generatePassword();
    await setPasswordById(
      db,
      operator.id,
      await passwords.hash(password),
      true,
      auditOf(ctx, deps, 'operator_password_reset', { type: 'operator', id: operator.id }),
    );
    log.info('OPERATOR_PASSWORD_SET', { login: operator.login });
    showPassword(ctx, operator.login, password);
  });
  return router;
}
