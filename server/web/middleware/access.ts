import type { Middleware } from 'koa';
import type { NamedRight } from '../../shared/glossary.js';
import type { Logger } from '../../shared/logger.js';
import { hasRight } from '../security/rights.js';
import type { ConsoleState } from '../state.js';

/** Pages an operator who must change a one-time password may still open. */
const PASSWORD_PATHS = new Set(['/password', '/logout']);

/**
 * Console pages need a logged-in operator: browsers are sent to the login page (and back after),
 * API clients get 401. An operator holding a one-time password is sent to the password page first.
 */
export function requireOperator(): Middleware<ConsoleState> {
  return async (ctx, next) => {
    const operator = ctx.state.operator;
    if (!operator) {
      if (ctx.method === 'GET' && ctx.accepts('html', 'json') === 'html') {
        const next = encodeURIComponent(ctx.originalUrl);
        return ctx.redirect(`/login?next=${next}${ctx.state.sessionEnded ? '&ended=1' : ''}`);
      }
      return ctx.throw(401);
    }
    if (operator.mustChangePassword && !PASSWORD_PATHS.has(ctx.path)) {
      if (ctx.method === 'GET') return ctx.redirect('/password');
      ctx.throw(403);
    }
    await next();
  };
}

/** The route needs a named right (admin implies all); 403 otherwise. */
export function need(right: NamedRight, log: Logger): Middleware<ConsoleState> {
  return async (ctx, next) => {
    const operator = ctx.state.operator;
    if (!operator || !hasRight(operator.rights, right)) {
      log.warn('WEB_RIGHT_MISSING', { login: operator?.login, path: ctx.path, right });
      ctx.throw(403);
    }
    await next();
  };
}

/** A relative path inside the console to return to after login (never another site). */
export function safeReturnPath(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) && value.length < 500 ? value : '/';
}
