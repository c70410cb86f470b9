import { randomBytes } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from '../../shared/logger.js';
import { crossSiteReason } from '../../shared/cross-site.js';
import { preLoginCsrfToken, SAFE_METHODS, sessionCsrfToken, tokensMatch } from '../security/csrf.js';
import { serializeCookie, type CookieNames } from '../security/session-token.js';
import type { ConsoleState } from '../state.js';

export interface CsrfDeps {
  key: string;
  cookies: CookieNames;
  secure: boolean;
  /** The console's public origin (requests to the listening address are accepted too). */
  publicOrigin: string;
  /** Paths whose POST body is a multipart upload: the route checks the token of its first field. */
  uploadPaths: ReadonlySet<string>;
  log: Logger;
}

const PRE_LOGIN = /^[A-Za-z0-9_-]{22}$/;

/**
 * Every request that is not GET/HEAD/OPTIONS needs the CSRF token of its session (or, before
 * login, of its pre-login cookie) in the `_csrf` form field or the X-CSRF-Token header, and must
 * not come from another site (Origin, Sec-Fetch-Site); otherwise 403. Runs after the body parser.
 */
export function csrfProtection(deps: CsrfDeps): Middleware<ConsoleState> {
  return async (ctx, next) => {
    const expected = expectedToken(ctx, deps);
    ctx.state.csrfToken = expected;
    if (SAFE_METHODS.has(ctx.method)) return next();
    const origins = [deps.publicOrigin, `${ctx.protocol}://${ctx.host}`];
    let reason = crossSiteReason({ origin: ctx.get('origin') || undefined, secFetchSite: ctx.get('sec-fetch-site') || undefined }, origins);
    if (!reason && ctx.is('multipart/form-data')) {
      if (deps.uploadPaths.has(ctx.path)) ctx.state.checkCsrf = (token) => tokensMatch(expected, token);
      else reason = 'multipart body outside an upload route';
    } else if (!reason) {
      const body = (ctx.request as { body?: Record<string, unknown> }).body;
      if (!tokensMatch(expected, ctx.get('x-csrf-token') || body?._csrf)) reason = 'missing or wrong token';
    }
    if (reason) {
      deps.log.warn('WEB_CSRF_REJECTED', { method: ctx.method, path: ctx.path, reason });
      ctx.throw(403);
    }
    await next();
  };
}

function expectedToken(ctx: Parameters<Middleware<ConsoleState>>[0], deps: CsrfDeps): string {
  if (ctx.state.session) return sessionCsrfToken(deps.key, ctx.state.session.idHash);
  let pre = ctx.cookies.get(deps.cookies.preLogin);
  if (!pre || !PRE_LOGIN.test(pre)) {
    pre = randomBytes(16).toString('base64url');
    if (SAFE_METHODS.has(ctx.method)) ctx.append('Set-Cookie', serializeCookie(deps.cookies.preLogin, pre, { secure: deps.secure, sameSite: 'Strict' }));
  }
  return preLoginCsrfToken(deps.key, pre);
}
