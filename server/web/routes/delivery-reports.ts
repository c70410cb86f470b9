import Router from '@koa/router';
import { routingCost } from '../../db/repos/routing.js';
import { receiptCounts, repliesToDelivery } from '../../db/repos/sms.js';
import type { Database } from '../../db/connect.js';
import type { Delivery } from '../../db/models/index.js';
import { findDelivery } from '../../db/repos/deliveries.js';
import { deliveryPage } from '../../db/repos/delivery-lists.js';
import { failuresByReason } from '../../db/repos/broad-log-counts.js';
import { failureStatsOf, indicatorsOf, linkTotals, trackingSlots } from '../../db/repos/delivery-reports.js';
import { ENDED_STATES, isRoutedChannel, STARTED_STATES, type DeliveryState } from '../../shared/glossary.js';
import type { ConsoleDeps } from '../console/deps.js';
import { TIME_ZONE_CHOICES } from '../forms/preferences-form.js';
import { sendCsv } from '../console/csv.js';
import { reportZone, type ReportZone } from '../console/report-zone.js';
import { id } from '../console/forms.js';
import { need, requireOperator } from '../middleware/access.js';
import { failuresReport, linksReport, summaryReport, trackingReport, type ChannelFigures } from '../reports/delivery-report-data.js';
import type { ReportTable } from '../reports/report-table.js';
import type { ConsoleContext, ConsoleState } from '../state.js';

const PAGE = 30;
/** Deliveries that have something to report (they were started). */
const REPORTED: readonly DeliveryState[] = [...STARTED_STATES, ...ENDED_STATES];
export const DELIVERY_REPORTS = ['summary', 'tracking', 'links', 'failures'] as const;

/**
 * Reports (right `view_reports`): the index (global reports and the deliveries to report on) and
 * the reports of one delivery — summary, opens and clicks over time, clicks per link, failures by
 * reason and domain — each with its tables as CSV (`<report>.csv`, formula-safe).
 */
export function deliveryReportRoutes(deps: ConsoleDeps): Router<ConsoleState> {
  const { render, t } = deps;
  const router = new Router<ConsoleState>();
  router.use(requireOperator(), need('view_reports', deps.log));

  router.get('/reports', async (ctx) => {
    const before = id(ctx.query.before);
    const { rows, next } = await deliveryPage(deps.db, { templates: false, states: REPORTED, before, limit: PAGE });
    render(ctx, '/admin/reports/index', { title: t('reports.title'), rows, next, paged: Boolean(before) });
  });

  const tables = (
    ctx: ConsoleContext,
    d: Delivery,
    report: (typeof DELIVERY_REPORTS)[number],
  ): Promise<{ data: Record<string, unknown>; tables: ReportTable[] }> => BUILDERS[report](deps.db, d, t, reportZone(ctx, d.timeZone), deps.clock());
  for (const report of DELIVERY_REPORTS) {
    const path = report === 'summary' ? '/reports/deliveries/:id' : `/reports/deliveries/:id/${report}`;
    router.get(path, async (ctx) => {
      const d = await findDelivery(deps.db, id(ctx.params.id) ?? 0);
      if (!d) return;
      const { data, tables: list } = await tables(ctx, d, report);
      render(ctx, `/admin/reports/delivery-${report}`, {
        title: t(`reports.${report}.title`, { name: d.label }),
        delivery: d,
        report,
        reports: DELIVERY_REPORTS,
        tables: list,
        zones: TIME_ZONE_CHOICES,
        ...data,
      });
    });
    router.get(`/reports/deliveries/:id/${report}.csv`, async (ctx: ConsoleContext) => {
      const d = await findDelivery(deps.db, id(ctx.params.id) ?? 0);
      if (!d) return;
      const { tables: list } = await tables(ctx, d, report);
      const which = list.find((tb) => tb.name === ctx.query.table) ?? list[0]!;
      sendCsv(
        ctx,
        `${which.name}.csv`,
        which.columns.map((c) => t(c.label)),
        which.rows,
      );
    });
  }
  return router;
}

/** Replies count for a delivery from its start until this long after it ended. */
const REPLY_WINDOW_MS = 7 * 86_400_000;

/** The figures of the delivery's own channel (see ChannelFigures). */
async function channelFigures(db: Database, d: Delivery, now: Date): Promise<ChannelFigures> {
  if (isRoutedChannel(d.channel))
    return { channel: 'routed', routed: { byStatus: (await receiptCounts(db, d.id)).byStatus, cost: await routingCost(db, d.id) } };
  if (d.channel === 'push') return { channel: 'push', failures: await failuresByReason(db, d.id) };
  if (d.channel !== 'sms') return { channel: 'email' };
  const from = d.startedAt ?? d.createdAt;
  const until = d.finishedAt ? new Date(d.finishedAt.getTime() + REPLY_WINDOW_MS) : new Date(now.getTime() + 1000);
  return {
    channel: 'sms',
    receipts: await receiptCounts(db, d.id),
    failures: await failuresByReason(db, d.id),
    replies: await repliesToDelivery(db, d.id, from, until),
  };
}

type Builder = (
  db: Database,
  d: Delivery,
  t: ConsoleDeps['t'],
  zone: ReportZone,
  now: Date,
) => Promise<{ data: Record<string, unknown>; tables: ReportTable[] }>;

const BUILDERS: Record<(typeof DELIVERY_REPORTS)[number], Builder> = {
  async summary(db, d, t, _zone, now) {
    const r = summaryReport(d, await indicatorsOf(db, d.id), t, await channelFigures(db, d, now));
    return {
      data: { chart: r.chart, computedAt: r.computedAt, complaintsAboveThreshold: r.complaintsAboveThreshold, channel: d.channel },
      tables: [r.table],
    };
  },
  async tracking(db, d, t, zone) {
    const r = trackingReport(d.id, await trackingSlots(db, d.id), t, zone.zone);
    return { data: { chart: r.chart, size: r.size, zone }, tables: [r.table] };
  },
  async links(db, d, t) {
    const r = linksReport(d.id, await linkTotals(db, d.id), t);
    return { data: { chart: r.chart }, tables: [r.table] };
  },
  async failures(db, d, t) {
    const stats = await failureStatsOf(db, d.id);
    const r = failuresReport(d.id, await failuresByReason(db, d.id), stats.rows, t);
    return { data: { reasonChart: r.reasonChart, domainChart: r.domainChart, computedAt: stats.computedAt }, tables: [r.reasons, r.domains] };
  },
};
