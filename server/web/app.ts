import { join } from 'node:path';
import { bodyParser } from '@koa/bodyparser';
import type Router from '@koa/router';
import type { Eta } from 'eta';
import Koa from 'koa';
import type { Database } from '../db/connect.js';
import type { EventServices } from '../events/event-services.js';
import { countRecipients } from '../db/repos/recipient-search.js';
import { IMPORTS_FOLDER } from '../recipients/import-files.js';
import { instancePaths } from '../shared/config/paths.js';
import type { HeraldConfig } from '../shared/config/schema.js';
import type { Logger } from '../shared/logger.js';
import { hashPassword, needsRehash, verifyPassword } from '../shared/password.js';
import { cached } from './console/cached.js';
import { instanceWatchdog, type InstanceWatchdog } from './console/instance-watchdog.js';
import { createDeliveryTools, type DeliveryTools } from './console/delivery-tools.js';
import type { ConsoleDeps, Passwords } from './console/deps.js';
import { pageRenderer } from './console/render.js';
import { createBulkRunner, type BulkRunner } from './bulk/bulk-runner.js';
import { createImportRunner, type ImportRunner } from './imports/import-runner.js';
import { csrfProtection } from './middleware/csrf.js';
import { errorPages } from './middleware/errors.js';
import { browserLanguage, operatorLanguage } from './middleware/language.js';
import { loadCatalogues } from './i18n/site-overrides.js';
import { registeredLanguages } from './i18n/translate.js';
import { requestMetrics, type HttpMetrics } from './middleware/request-metrics.js';
export { registerHttpMetrics } from './middleware/request-metrics.js';
import { rejectHostileInput } from './middleware/input-guard.js';
import { createPublicSide } from './public/public-side.js';
import { securityHeaders } from './middleware/security-headers.js';
import { sessions } from './middleware/session.js';
import { accountRoutes } from './routes/account.js';
import { auditRoutes } from './routes/audit.js';
import { audienceRoutes } from './routes/audiences.js';
import { bulkActionRoutes } from './routes/bulk-actions.js';
import { abWizardRoutes } from './routes/ab-wizard.js';
import { definitionRoutes } from './routes/definitions.js';
import { deliveryActionRoutes } from './routes/delivery-actions.js';
import { deliveryLiveRoutes } from './routes/delivery-live.js';
import { deliveryReportRoutes } from './routes/delivery-reports.js';
import { CONTENT_FORM_PATHS, contentRoutes } from './routes/content.js';
import { DELIVERY_FORM_PATHS, deliveryRoutes } from './routes/deliveries.js';
import { LANDING_FORM_PATHS, landingPageRoutes } from './routes/landing-pages.js';
import { domainBlockRoutes, monitoringRoutes } from './routes/monitoring.js';
import { inboundReviewRoutes } from './routes/inbound-review.js';
import { operationsReportRoutes } from './routes/operations-reports.js';
import { authRoutes } from './routes/auth.js';
import { healthRoutes } from './routes/health.js';
import { homeRoutes } from './routes/home.js';
import { listRoutes } from './routes/lists.js';
import { operatorRoutes } from './routes/operators.js';
import { IMPORT_PATH, recipientImportRoutes } from './routes/recipient-import.js';
import { recipientRoutes } from './routes/recipients.js';
import { serviceRoutes } from './routes/services.js';
import { setupRoutes } from './routes/setup.js';
import { staticRoutes, vendorRoutes } from './routes/static.js';
import { workflowEditorRoutes } from './routes/workflow-editor.js';
import { workflowRoutes } from './routes/workflows.js';
import { cookieNames } from './security/session-token.js';

export interface WebDeps {
  config: HeraldConfig;
  db: Database;
  log: Logger;
  views: Eta;
  /** The time (tests move it to expire sessions). */
  clock?: () => Date;
  passwords?: Passwords;
  /** Pushes a delivery's tracking URLs (default: to the configured tracking servers). */
  publishUrls?: (deliveryId: number) => Promise<void>;
  /**
   * The work in progress of the running app, kept by a reload that rebuilds the routes and
   * middleware with a new config: imports, background analyses and live streams, the event intake.
   */
  reuse?: Pick<WebApp, 'imports' | 'bulk' | 'deliveries' | 'events'>;
  /** Request durations by route (the module's registry; kept across reloads). */
  httpMetrics?: HttpMetrics;
  /** Where the console reads the watchdog status (default: through this config's control port, narrowed to this instance). */
  watchdog?: InstanceWatchdog;
}

export interface WebApp {
  app: Koa;
  /** Every router, in order (the tests enumerate their routes). */
  routers: ReadonlyArray<Router<any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  imports: ImportRunner;
  /** Bulk actions on filtered selections, in background batches. */
  bulk: BulkRunner;
  /** Background analyses, live dashboard streams (end them before closing the HTTP server). */
  deliveries: DeliveryTools;
  /** The public pages' and the REST API's routers. */
  publicRouters: ReadonlyArray<Router<any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** The transactional event intake (drained when the module stops). */
  events: EventServices;
}

const RECIPIENT_TOTAL_TTL_MS = 60_000;

/**
 * The web module's Koa application: security headers, friendly errors, static files and /health,
 * then the console: body limits, sessions, CSRF, and the console's routes.
 */
export function createWebApp({
  config,
  db,
  log,
  views,
  clock = () => new Date(),
  passwords = { hash: hashPassword, verify: verifyPassword, needsRehash },
  publishUrls,
  reuse,
  httpMetrics,
  watchdog = instanceWatchdog(config, config.instanceName),
}: WebDeps): WebApp {
  const secure = config.web.publicUrl.startsWith('https:');
  const cookies = cookieNames(secure);
  const catalogues = loadCatalogues(config);
  const languages = registeredLanguages(catalogues);
  const { render, t } = pageRenderer(views, config, catalogues);
  const recipientTotal = cached(RECIPIENT_TOTAL_TTL_MS, () => countRecipients(db), clock);
  const imports =
    reuse?.imports ??
    createImportRunner({
      db,
      log,
      clock,
      dir: join(instancePaths(config).spoolDir, IMPORTS_FOLDER),
      batchSize: config.recipients.importBatchSize,
      defaultCountry: config.recipients.defaultCountry,
      onEnded: recipientTotal.invalidate,
    });
  const bulk =
    reuse?.bulk ??
    createBulkRunner({
      db,
      log,
      clock,
      batchSize: config.recipients.bulkBatchSize,
      pauseMs: config.recipients.bulkPauseMs,
      onEnded: recipientTotal.invalidate,
    });
  const deps: ConsoleDeps = { config, db, log, clock, render, t, passwords, cookies, secure, imports, bulk, recipientTotal, watchdog };

  // Behind a trusted proxy the client is the right-most X-Forwarded-For entry, the one the proxy
  // appended; anything left of it came from the client (as the tracking module reads it).
  const app = new Koa({ proxy: config.web.trustProxy, maxIpsCount: 1 });
  app.silent = true;
  if (httpMetrics) app.use(requestMetrics(httpMetrics));
  app.use(securityHeaders({ https: secure }));
  app.use(browserLanguage(languages, config.languages.default));
  app.use(errorPages(views, log, t));
  const open = [healthRoutes(db), staticRoutes(), vendorRoutes()];
  const deliveries = reuse?.deliveries ?? createDeliveryTools(deps);
  const console = [
    authRoutes(deps),
    homeRoutes(deps),
    accountRoutes(deps),
    setupRoutes(deps),
    operatorRoutes(deps),
    auditRoutes(deps),
    recipientImportRoutes(deps),
    bulkActionRoutes(deps),
    audienceRoutes(deps),
    recipientRoutes(deps),
    serviceRoutes(deps),
    listRoutes(deps),
  ];
  // Deliveries, reports, monitoring and workflows.
  console.push(
    deliveryRoutes(deps, deliveries),
    contentRoutes(deps),
    landingPageRoutes(deps),
    deliveryActionRoutes(deps, deliveries),
    abWizardRoutes(deps, deliveries),
    deliveryLiveRoutes(deps, deliveries),
    definitionRoutes(deps),
    deliveryReportRoutes(deps),
    operationsReportRoutes(deps),
    domainBlockRoutes(deps),
    monitoringRoutes(deps),
    inboundReviewRoutes(deps),
    workflowEditorRoutes(deps),
    workflowRoutes(deps),
  );
  // /health and /static answer before the console's body parsing, sessions and CSRF checks.
  for (const router of open) {
    const routes = router.routes();
    const methods = router.allowedMethods();
    app.use((ctx, next) =>
      router.match(ctx.path, ctx.method).path.length > 0 ? routes(ctx as never, () => methods(ctx as never, async () => undefined)) : next(),
    );
  }
  // Public pages and the REST API: no session, their own guards, so before the console's body parser, sessions and CSRF check.
  const outside = createPublicSide({ config, db, log, clock, t, languages, secure, publishUrls, events: reuse?.events });
  app.use(outside.middleware);
  const limit = `${config.web.formMaxKb}kb`;
  const forms = bodyParser({ enableTypes: ['form', 'json'], formLimit: limit, jsonLimit: limit });
  // Delivery content (HTML and text) may be larger than other forms.
  const deliveryForms = bodyParser({ enableTypes: ['form'], formLimit: `${config.web.deliveryFormMaxKb}kb` });
  app.use((ctx, next) =>
    ctx.method === 'POST' && (DELIVERY_FORM_PATHS.test(ctx.path) || CONTENT_FORM_PATHS.test(ctx.path) || LANDING_FORM_PATHS.test(ctx.path))
      ? deliveryForms(ctx, next)
      : forms(ctx, next),
  );
  app.use(rejectHostileInput(t, log));
  app.use(sessions({ db, clock, cookies, secure, idleMs: config.web.sessionIdleMinutes * 60_000 }));
  app.use(operatorLanguage(languages));
  app.use(
    csrfProtection({
      key: config.secrets.sessionKey,
      cookies,
      secure,
      publicOrigin: new URL(config.web.publicUrl).origin,
      uploadPaths: new Set([IMPORT_PATH]),
      log,
    }),
  );
  for (const router of console) app.use(router.routes()).use(router.allowedMethods());
  return { app, routers: [...open, ...console], imports, bulk, deliveries, publicRouters: outside.routers, events: outside.events };
}
