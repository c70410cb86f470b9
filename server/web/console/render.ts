import type { Eta } from 'eta';
import type { HeraldConfig } from '../../shared/config/schema.js';
import { VERSION } from '../../shared/version.js';
import { formatter, scopedTranslator, type Catalogues, type Formatter, type Translate } from '../i18n/translate.js';
import { currentLanguage } from '../../shared/i18n/language-scope.js';
import type { ConsoleContext } from '../state.js';
import { definitionOf } from '../reports/indicator-definitions.js';
import { visibleNavigation } from './navigation.js';

/** Notices a page may show after a redirect (`?notice=<key>`); anything else is ignored. */
export const NOTICES = new Set([
  'saved',
  'created',
  'password_changed',
  'logged_out',
  'subscribed',
  'unsubscribed',
  'member_added',
  'member_removed',
  'nothing_changed',
  // deliveries, monitoring and workflows
  'unblocked',
  'analysed',
  'analysis_running',
  'analysis_blocked',
  'started',
  'paused',
  'resumed',
  'stopped',
  'proof_sent',
  'qualified',
  'reviewed',
  'workflow_changed',
  'ab_test_confirmed',
  'ab_test_created',
  'run_requested',
]);

export type RenderPage = (ctx: ConsoleContext, template: string, data?: Record<string, unknown>) => void;

/**
 * Renders a console page with what every page needs: the translator and formatters, the operator,
 * the menu, the CSRF token for forms, and a notice. Console pages are never cached.
 */
export function pageRenderer(views: Eta, config: HeraldConfig, catalogues?: Catalogues): { render: RenderPage; t: Translate } {
  const t = scopedTranslator(catalogues);
  const formatters = new Map<string, Formatter>();
  const formatterFor = (language: string, zone: string) => {
    const key = `${language} ${zone}`;
    let fmt = formatters.get(key);
    if (!fmt) formatters.set(key, (fmt = formatter(language, zone)));
    return fmt;
  };
  const render: RenderPage = (ctx, template, data = {}) => {
    const operator = ctx.state.operator;
    const language = currentLanguage();
    const fmt = formatterFor(language, operator?.timeZone ?? 'UTC');
    const notice = typeof ctx.query.notice === 'string' && NOTICES.has(ctx.query.notice) ? t(`notice.${ctx.query.notice}`) : undefined;
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    // Console pages hold forms: with `same-origin` the browser sends their real Origin on submit
    // (with `no-referrer` it sends "null", which the CSRF check refuses). Off-site, no referrer leaks.
    ctx.set('Referrer-Policy', 'same-origin');
    ctx.body = views.render(template, {
      t,
      fmt,
      lang: language,
      instance: config.instanceName,
      version: VERSION,
      operator: operator ? { login: operator.login, name: operator.name, mustChangePassword: operator.mustChangePassword } : undefined,
      theme: operator?.theme ?? undefined,
      nav: operator && !operator.mustChangePassword ? visibleNavigation(operator.rights, ctx.path) : [],
      csrf: ctx.state.csrfToken ?? '',
      /** The anchor of a report figure's definition (/reports/definitions#…), from its label key. */
      define: definitionOf,
      notice,
      ...data,
    });
  };
  return { render, t };
}
