import Router from '@koa/router';
import { pendingByDue } from '../../db/repos/broad-log-counts.js';
import { deliveriesIn } from '../../db/repos/delivery-lists.js';
import { deliveryFiguresSince } from '../../db/repos/home-figures.js';
import { recentImportJobs } from '../../db/repos/import-jobs.js';
import { ACTIVE_STATES } from '../../shared/glossary.js';
import { lastLocalDays } from '../../shared/time-zones/zone-maths.js';
import { cached } from '../console/cached.js';
import type { ConsoleDeps } from '../console/deps.js';
import { requireOperator } from '../middleware/access.js';
import { periodTiles, recentDeliveries } from '../reports/home-figures.js';
import { hasRight } from '../security/rights.js';
import { setupItems } from '../setup/setup-facts.js';
import type { ConsoleState } from '../state.js';

/** The checklist looks at DNS and the tracking server: kept a few minutes (the setup page always looks again). */
const CHECKLIST_TTL_MS = 5 * 60_000;

/**
 * GET /: the console's home. Every operator sees the recipient count and recent imports; with
 * view_reports, the latest deliveries with their key rates, the last 30 days' rates with trend
 * lines, and the health of the queue and the modules; administrators also see the setup checklist.
 */
export function homeRoutes(deps: ConsoleDeps): Router<ConsoleState> {
  const router = new Router<ConsoleState>();
  const checklist = cached(CHECKLIST_TTL_MS, () => setupItems(deps.config, deps.db), deps.clock);

  const health = async (now: Date) => {
    const running = await deliveriesIn(deps.db, ACTIVE_STATES, 50);
    const queue = await pendingByDue(
      deps.db,
      running.map((d) => d.id),
      now,
    );
    let due = 0;
    let later = 0;
    for (const q of queue.values()) {
      due += q.due;
      later += q.later;
    }
    return { running: running.length, due, later, watchdog: await deps.watchdog() };
  };

  router.get('/', requireOperator(), async (ctx) => {
    const rights = ctx.state.operator!.rights;
    const now = deps.clock();
    const reports = hasRight(rights, 'view_reports');
    const zone = ctx.state.operator!.timeZone ?? 'UTC';
    const [total, imports, period, latest, state, setup] = await Promise.all([
      deps.recipientTotal(),
      recentImportJobs(deps.db, 5),
      reports ? deliveryFiguresSince(deps.db, lastLocalDays(now, zone, 30).since) : undefined,
      reports ? deliveryFiguresSince(deps.db, new Date(0), 5) : undefined,
      reports ? health(now) : undefined,
      hasRight(rights, 'admin') ? checklist() : undefined,
    ]);
    deps.render(ctx, '/admin/home', {
      title: deps.t('home.title'),
      total,
      imports,
      figures: period && latest ? { ...periodTiles(period, now, deps.t, zone), recent: recentDeliveries(latest) } : undefined,
      health: state,
      setup: setup && { items: setup, missing: setup.filter((i) => i.state !== 'done').length },
    });
  });
  return router;
}
