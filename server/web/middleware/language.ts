import type { Middleware } from 'koa';
import { negotiateLanguage } from '../i18n/accept-language.js';
import { inLanguage } from '../../shared/i18n/language-scope.js';
import type { ConsoleState } from '../state.js';

/**
 * The language a request is answered in, set for everything downstream (see language-scope.ts):
 * first from the browser's Accept-Language among the registered languages, else the site's
 * `languages.default`. Mounted before the error pages, so they speak it too.
 */
export function browserLanguage(languages: readonly string[], fallback: string): Middleware {
  const site = languages.includes(fallback) ? fallback : 'en';
  return (ctx, next) => inLanguage(negotiateLanguage(ctx.get('accept-language'), languages) ?? site, next);
}

/** Once the session is read: a logged-in operator's own preference wins over the browser's. */
export function operatorLanguage(languages: readonly string[]): Middleware<ConsoleState> {
  return (ctx, next) => {
    const chosen = ctx.state.operator?.language;
    return chosen && languages.includes(chosen) ? inLanguage(chosen, next) : next();
  };
}
