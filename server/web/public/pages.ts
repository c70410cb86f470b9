import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { landingRoutes } from './landing.js';
import { mirrorRoutes } from './mirror.js';
import { preferencesRoutes } from './preferences.js';
import type { PublicDeps } from './public-deps.js';
import { pushRoutes } from './push-subscribe.js';
import { subscribeRoutes } from './subscribe.js';
import { unsubscribeRoutes } from './unsubscribe.js';

/**
 * The public pages recipients reach: subscription with double opt-in, confirmation, unsubscribe
 * (with RFC 8058 one-click), preference centre, mirror page and published landing pages (/l/<slug>). Mounted before the console's
 * sessions and CSRF check: they use no session; their forms carry their own guard (form-guard.ts).
 */
export function createPublicRoutes(deps: PublicDeps): { routers: Router[]; middleware: Middleware } {
  const routers = [subscribeRoutes(deps), unsubscribeRoutes(deps), preferencesRoutes(deps), mirrorRoutes(deps), landingRoutes(deps), pushRoutes(deps)];
  const mounted = routers.map((router) => ({ router, routes: router.routes(), methods: router.allowedMethods() }));
  const middleware: Middleware = (ctx, next) => {
    const hit = mounted.find((m) => m.router.match(ctx.path, ctx.method).path.length > 0);
    return hit ? hit.routes(ctx as never, () => hit.methods(ctx as never, async () => undefined)) : next();
  };
  return { routers, middleware };
}
