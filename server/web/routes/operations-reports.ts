import Router from '@koa/router';
import { domainStats, quarantineCounts, quarantineDomains, recentQuarantines, slotTotals, subscriptionSlots } from '../../db/repos/operations-reports.js';
import { allServices, findService } from '../../db/repos/services.js';
import type { ConsoleDeps } from '../console/deps.js';
import { sendCsv } from '../console/csv.js';
import { id } from '../console/forms.js';
import { reportZone } from '../console/report-zone.js';
import { TIME_ZONE_CHOICES } from '../forms/preferences-form.js';
import { lastLocalDays, startOfLocalHour } from '../../shared/time-zones/zone-maths.js';
import { DAY_MS, HOUR_MS } from '../console/time-buckets.js';
import { need, requireOperator } from '../middleware/access.js';
import { domainsReport, quarantineReport, subscriptionsReport, throughputReport } from '../reports/operations-report-data.js';
import type { ReportTable } from '../reports/report-table.js';
import type { ConsoleContext, ConsoleState } from '../state.js';

/** The periods an operator may choose (bounded: each one reads a bounded number of aggregate rows). */
export const DOMAIN_DAYS = [1, 7, 30] as const;
export const THROUGHPUT_HOURS = [24, 48, 96] as const;
export const SUBSCRIPTION_DAYS = [30, 90, 365] as const;

const choice = <T extends number>(value: unknown, allowed: readonly T[], fallback: T): T =>
  (allowed as readonly number[]).includes(Number(value)) ? (Number(value) as T) : fallback;

/**
 * Reports across deliveries (right `view_reports`), each page with its tables as CSV: SMTP
 * statistics per domain, throughput per hour, the quarantine overview, subscriptions per day.
 */
export function operationsReportRoutes(deps: ConsoleDeps): Router<ConsoleState> {
  const { render, t, clock } = deps;
  const router = new Router<ConsoleState>();
  router.use(requireOperator(), need('view_reports', deps.log));

  /** A report page and its CSV twin, from one builder. */
  const page = (
    path: string,
    template: string,
    build: (ctx: ConsoleContext) => Promise<{ data: Record<string, unknown>; tables: ReportTable[] } | undefined>,
  ) => {
    router.get(path, async (ctx) => {
      const built = await build(ctx);
      if (built) render(ctx, template, { ...built.data, tables: built.tables });
    });
    router.get(`${path}.csv`, async (ctx) => {
      const built = await build(ctx);
      if (!built) return;
      const table = built.tables.find((tb) => tb.name === ctx.query.table) ?? built.tables[0]!;
      sendCsv(
        ctx,
        `${table.name}.csv`,
        table.columns.map((c) => t(c.label)),
        table.rows,
      );
    });
  };

  page('/reports/domains', '/admin/reports/domains', async (ctx) => {
    const days = choice(ctx.query.days, DOMAIN_DAYS, 7);
    const now = clock();
    const r = domainsReport(await domainStats(deps.db, new Date(now.getTime() - days * DAY_MS), now, 200), days, t);
    return { data: { title: t('reports.domains.title'), days, periods: DOMAIN_DAYS, chart: r.chart }, tables: [r.table] };
  });

  page('/reports/throughput', '/admin/reports/throughput', async (ctx) => {
    const hours = choice(ctx.query.hours, THROUGHPUT_HOURS, 48);
    const zone = reportZone(ctx);
    const now = clock();
    const r = throughputReport(
      await slotTotals(deps.db, new Date(startOfLocalHour(now, zone.zone).getTime() - (hours - 1) * HOUR_MS), now),
      hours,
      now,
      t,
      zone.zone,
    );
    return {
      data: { title: t('reports.throughput.title'), hours, periods: THROUGHPUT_HOURS, chart: r.chart, peak: r.peak, zone, zones: TIME_ZONE_CHOICES },
      tables: [r.table],
    };
  });

  page('/reports/quarantines', '/admin/reports/quarantines', async (ctx) => {
    const zone = reportZone(ctx).zone;
    const r = quarantineReport(await quarantineCounts(deps.db), await quarantineDomains(deps.db, 20), await recentQuarantines(deps.db, 20), t, zone);
    return { data: { title: t('reports.quarantines.title'), chart: r.chart }, tables: [r.counts, r.domains, r.recent] };
  });

  page('/reports/subscriptions', '/admin/reports/subscriptions', async (ctx) => {
    const services = await allServices(deps.db);
    const service = (await findService(deps.db, id(ctx.query.service) ?? 0)) ?? services[0] ?? null;
    const days = choice(ctx.query.days, SUBSCRIPTION_DAYS, 90);
    const zone = reportZone(ctx);
    // local days begin on UTC quarter hours: the period's first slot is its first day's start
    const from = lastLocalDays(clock(), zone.zone, days).since.toISOString().slice(0, 16).replace('T', ' ');
    const r = service ? subscriptionsReport(service.name, await subscriptionSlots(deps.db, service.id, from), t, zone.zone) : undefined;
    const data = {
      title: t('reports.subscriptions.title'),
      services,
      service,
      days,
      periods: SUBSCRIPTION_DAYS,
      zone,
      zones: TIME_ZONE_CHOICES,
      totals: r?.totals,
      chart: r?.chart ?? '',
      computedAt: r?.computedAt ?? null,
    };
    return { data, tables: r ? [r.table] : [{ name: 'subscriptions', columns: [], rows: [] }] };
  });
  return router;
}
