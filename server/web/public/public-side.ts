import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { API_PREFIX, createApi } from '../../api/api-app.js';
import type { Database } from '../../db/connect.js';
import { createEventServices, type EventServices } from '../../events/event-services.js';
import type { HeraldConfig } from '../../shared/config/schema.js';
import type { Logger } from '../../shared/logger.js';
import { siteViewsDir } from '../../shared/site-views.js';
import { publishDeliveryUrls } from '../../tracking-data/publish/publish-urls.js';
import type { Catalogues, Translate } from '../i18n/translate.js';
import { createFormViews } from './form-views.js';
import { createPublicRoutes } from './pages.js';

/**
 * Everything the web module serves outside the console: the public pages and the REST API, with
 * the transactional event intake they share. One middleware, mounted in app.ts before the console.
 */

export interface PublicSideDeps {
  config: HeraldConfig;
  db: Database;
  log: Logger;
  clock: () => Date;
  t: Translate;
  /** The catalogues with the site's overrides (the system mails read theirs; default: the shipped ones). */
  catalogues?: Catalogues;
  /** The registered languages (default: English only). */
  languages?: readonly string[];
  secure: boolean;
  /** Pushes a delivery's tracking URLs (default: to the configured tracking servers). */
  publishUrls?: (deliveryId: number) => Promise<void>;
  /** The event intake of the running module (a reload rebuilds the routes around it). */
  events?: EventServices;
}

export interface PublicSide {
  middleware: Middleware;
  /** The public pages' and the API's routers (the tests enumerate their routes). */
  routers: Router[];
  events: EventServices;
}

export function createPublicSide(deps: PublicSideDeps): PublicSide {
  const { config, db, log, clock } = deps;
  const publishUrls = deps.publishUrls ?? (async (deliveryId: number) => void (await publishDeliveryUrls(db, config, deliveryId, { log })));
  const events = deps.events ?? createEventServices({ db, config, log, clock, publishUrls, catalogues: deps.catalogues });
  const delivery = { db, config, log, dkim: [] };
  const pages = createPublicRoutes({
    config,
    db,
    log,
    clock,
    events,
    views: createFormViews(siteViewsDir(config)),
    t: deps.t,
    languages: deps.languages ?? ['en'],
    delivery,
    secure: deps.secure,
  });
  const api = createApi({ config, db, log, clock, events, delivery, publishUrls });
  const middleware: Middleware = (ctx, next) =>
    ctx.path === API_PREFIX || ctx.path.startsWith(`${API_PREFIX}/`) ? api.middleware(ctx, next) : pages.middleware(ctx, next);
  return { middleware, routers: [...pages.routers, api.router], events };
}
