import type { Eta } from 'eta';
import type { Middleware } from 'koa';
import { isHeraldError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import type { Translate } from '../i18n/translate.js';
import { currentLanguage } from '../../shared/i18n/language-scope.js';

/** Statuses with their own title in the message catalogue (`error.<status>`); others use `error.other`. */
const STATUSES = new Set([400, 401, 403, 404, 405, 409, 413, 415, 429, 500, 503]);

/**
 * Turns every error into a friendly page (or a JSON error for API clients) that never shows a stack
 * trace, SQL or a path. Unexpected errors are logged with a reference the user can quote.
 */
export function errorPages(views: Eta, log: Logger, t: Translate): Middleware {
  const title = (status: number) => t(STATUSES.has(status) ? `error.${status}` : 'error.other');
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) ctx.throw(404);
    } catch (err) {
      const expected = isHeraldError(err) || (typeof (err as { status?: number }).status === 'number' && (err as { expose?: boolean }).expose);
      const status = isHeraldError(err) ? (err.hints.status ?? 400) : expected ? (err as { status: number }).status : 500;
      const reference = Math.random().toString(36).slice(2, 10);
      if (!expected) log.error('WEB_REQUEST_FAILED', { method: ctx.method, path: ctx.path, status, reference, err });
      const message = expected && isHeraldError(err) ? err.message : title(status);
      ctx.status = status;
      if (ctx.accepts('html', 'json') === 'json') {
        ctx.body = { error: { code: isHeraldError(err) ? err.code : `HTTP_${status}`, message, ...(expected ? {} : { reference }) } };
      } else {
        ctx.type = 'html';
        ctx.body = renderErrorPage(views, { status, title: title(status), message, reference: expected ? undefined : reference, t });
      }
    }
  };
}

/** The error page; if even that fails to render, a plain line (an error page must never throw). */
function renderErrorPage(views: Eta, data: { status: number; title: string; message: string; reference?: string; t: Translate }): string {
  try {
    return views.render('/errors/error', { ...data, lang: currentLanguage() });
  } catch {
    return `<!doctype html><title>${data.status}</title><p>${data.status} ${data.title}</p>`;
  }
}
