import Router from '@koa/router';
import { findOperator, recordLogin, setPasswordById } from '../../db/repos/operators.js';
import { clearThrottles, readThrottles, recordFailure } from '../../db/repos/login-throttles.js';
import { createSession, deleteExpiredSessions, deleteSession } from '../../db/repos/sessions.js';
import { recordAudit } from '../../db/repos/audit.js';
import { generatePassword } from '../../shared/password.js';
import { passwordProblem } from '../../shared/password-rules.js';
import { bodyOf, raw, text } from '../console/forms.js';
import { auditOf, type ConsoleDeps } from '../console/deps.js';
import { requireOperator, safeReturnPath } from '../middleware/access.js';
import { issueDeviceCookie, readDeviceCookie } from '../security/device-cookie.js';
import { blockedBy, throttlePlan, type ThrottleLimits } from '../security/login-throttle.js';
import { hashSessionId, newSessionId, serializeCookie } from '../security/session-token.js';
import type { Operator } from '../../db/models/index.js';
import type { ConsoleContext, ConsoleState } from '../state.js';

const DAY_MS = 86_400_000;

/** Login, logout and password change. */
export function authRoutes(deps: ConsoleDeps): Router<ConsoleState> {
  const { config, db, log, clock, render, passwords } = deps;
  const web = config.web;
  const limits: ThrottleLimits = {
    windowMs: web.loginWindowMinutes * 60_000,
    perAccountIp: web.loginMaxFailuresPerAccountIp,
    perAccount: web.loginMaxFailuresPerAccount,
    perIp: web.loginMaxFailuresPerIp,
  };
  // Unknown logins are checked against a real hash too, so timing does not tell which logins exist.
  let dummyHash: Promise<string> | undefined;
  const router = new Router<ConsoleState>();

  const loginPage = (ctx: ConsoleContext, data: Record<string, unknown> = {}) =>
    render(ctx, '/admin/login', {
      title: deps.t('login.title'),
      next: safeReturnPath(ctx.query.next),
      ended: ctx.query.ended === '1' || ctx.state.sessionEnded,
      ...data,
    });

  router.get('/login', (ctx) => (ctx.state.operator ? ctx.redirect('/') : loginPage(ctx)));

  router.post('/login', async (ctx) => {
    const body = bodyOf(ctx.request);
    const login = text(body, 'login', 64).toLowerCase();
    const now = clock();
    const device = readDeviceCookie(config.secrets.sessionKey, ctx.cookies.get(deps.cookies.device), now);
    // The account is looked up first (one indexed read): throttling differs for accounts that exist.
    const operator = login ? await findOperator(db, login) : null;
    const plan = throttlePlan({ login, ip: ctx.ip, accountExists: operator !== null, knownDevice: device?.login === login ? device.id : undefined }, limits);
    const blocked = blockedBy(
      plan.check,
      await readThrottles(
        db,
        plan.check.map((k) => k.key),
      ),
      now,
      limits.windowMs,
    );
    if (blocked) {
      log.warn('WEB_LOGIN_THROTTLED', { login, ip: ctx.ip, scope: blocked.scope });
      ctx.status = 429;
      ctx.set('Retry-After', String(blocked.retryAfterSeconds));
      return loginPage(ctx, {
        login,
        next: safeReturnPath(text(body, 'next', 500)),
        error: deps.t('login.throttled', { minutes: Math.ceil(blocked.retryAfterSeconds / 60) }),
      });
    }
    const valid = await passwords.verify(raw(body, 'password'), operator?.passwordHash ?? (await (dummyHash ??= passwords.hash(generatePassword()))));
    if (!operator || !valid || operator.disabled) {
      await recordFailure(db, plan.count, now, limits.windowMs);
      if (operator)
        await recordAudit(db, {
          ...auditOf(ctx, deps, 'login_failed', { type: 'operator', id: operator.id }),
          operatorId: operator.id,
          operatorLogin: operator.login,
        });
      log.warn('WEB_LOGIN_FAILED', { login, ip: ctx.ip });
      ctx.status = 401;
      return loginPage(ctx, { login, next: safeReturnPath(text(body, 'next', 500)), error: deps.t('login.failed') });
    }
    await clearThrottles(db, plan.clearOnSuccess);
    await startSession(ctx, operator, raw(body, 'password'), now);
    ctx.status = 303;
    ctx.redirect(operator.mustChangePassword ? '/password' : safeReturnPath(text(body, 'next', 500)));
  });

  /** Opens a new session (never reusing an id), notes the login, sets the session and device cookies. */
  const startSession = async (ctx: ConsoleContext, operator: Operator, password: string, now: Date) => {
    const sessionId = newSessionId();
    await deleteExpiredSessions(db, now, new Date(now.getTime() - web.sessionIdleMinutes * 60_000));
    await createSession(db, {
      idHash: hashSessionId(sessionId),
      operatorId: operator.id,
      ip: ctx.ip,
      userAgent: ctx.get('user-agent') || null,
      now,
      expiresAt: new Date(now.getTime() + web.sessionAbsoluteHours * 3_600_000),
    });
    const rehash = passwords.needsRehash(operator.passwordHash) ? await passwords.hash(password) : undefined;
    await recordLogin(
      db,
      operator.id,
      now,
      { ...auditOf(ctx, deps, 'login', { type: 'operator', id: operator.id }), operatorId: operator.id, operatorLogin: operator.login },
      rehash,
    );
    log.info('WEB_LOGIN_SUCCEEDED', { login: operator.login, ip: ctx.ip });
    ctx.append('Set-Cookie', serializeCookie(deps.cookies.session, sessionId, { secure: deps.secure }));
    ctx.append('Set-Cookie', serializeCookie(deps.cookies.preLogin, '', { secure: deps.secure, maxAge: 0 }));
    if (web.deviceCookieDays > 0) {
      const device = issueDeviceCookie(config.secrets.sessionKey, operator.login, new Date(now.getTime() + web.deviceCookieDays * DAY_MS));
      ctx.append(
        'Set-Cookie',
        serializeCookie(deps.cookies.device, device, { secure: deps.secure, maxAge: web.deviceCookieDays * 86_400, sameSite: 'Strict' }),
      );
    }
  };

  router.post('/logout', requireOperator(), async (ctx) => {
    await deleteSession(db, ctx.state.session!.idHash);
    await recordAudit(db, auditOf(ctx, deps, 'logout', { type: 'operator', id: ctx.state.operator!.id }));
    log.info('WEB_LOGOUT', { login: ctx.state.operator!.login });
    ctx.append('Set-Cookie', serializeCookie(deps.cookies.session, '', { secure: deps.secure, maxAge: 0 }));
    ctx.status = 303;
    ctx.redirect('/login?notice=logged_out');
  });

  const passwordPage = (ctx: ConsoleContext, data: Record<string, unknown> = {}) =>
    render(ctx, '/admin/password', { title: deps.t('password.title'), errors: {}, ...data });

  router.get('/password', requireOperator(), (ctx) => passwordPage(ctx));

  router.post('/password', requireOperator(), async (ctx) => {
    const body = bodyOf(ctx.request);
    const operator = ctx.state.operator!;
    const now = clock();
    const plan = throttlePlan({ login: operator.login, ip: ctx.ip, accountExists: true }, limits);
    if (
      blockedBy(
        plan.check,
        await readThrottles(
          db,
          plan.check.map((k) => k.key),
        ),
        now,
        limits.windowMs,
      )
    ) {
      ctx.status = 429;
      return passwordPage(ctx, { errors: { current: 'password.error.throttled' } });
    }
    const current = raw(body, 'current');
    const fresh = raw(body, 'password');
    const errors: Record<string, string> = {};
    let weakness: ReturnType<typeof passwordProblem>;
    if (!(await passwords.verify(current, operator.passwordHash))) {
      errors.current = 'password.error.current';
      await recordFailure(db, plan.count, now, limits.windowMs);
    } else if ((weakness = passwordProblem(fresh, { login: operator.login }))) errors.password = `password.error.${weakness.code}`;
    else if (fresh !== raw(body, 'confirm')) errors.confirm = 'password.error.confirm';
    else if (fresh === current) errors.password = 'password.error.same';
    if (Object.keys(errors).length > 0) {
      ctx.status = 400;
      return passwordPage(ctx, { errors });
    }
    await setPasswordById(
      db,
      operator.id,
      await passwords.hash(fresh),
      false,
      auditOf(ctx, deps, 'password_changed', { type: 'operator', id: operator.id }),
      ctx.state.session!.idHash,
    );
    log.info('OPERATOR_PASSWORD_SET', { login: operator.login });
    ctx.status = 303;
    ctx.redirect('/?notice=password_changed');
  });
  return router;
}
