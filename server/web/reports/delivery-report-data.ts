import type { Delivery, DeliveryFailureStat, DeliveryIndicator } from '../../db/models/index.js';
import type { LinkTotal, TrackingSlot } from '../../db/repos/delivery-reports.js';
import { complaintRate, GMAIL_COMPLAINT_THRESHOLD } from '../../shared/delivery-counters.js';
import { ENDED_STATES, type FailureReason } from '../../shared/glossary.js';
import { barChart } from '../console/charts/bar-chart.js';
import { barList, partsBar } from '../console/charts/bar-list.js';
import { axisLabel, bucketLabel, hourlyOrDaily } from '../console/time-buckets.js';
import type { Translate } from '../i18n/translate.js';
import { definitionOf } from './indicator-definitions.js';
import { share, type ReportTable } from './report-table.js';

/**
 * The reports of one delivery as tables and SVG charts, from consolidated rows (pure): summary
 * (messages by outcome, then the figures of its channel), opens and clicks over time, clicks per
 * link, and failures by reason and by domain.
 */

/** Nothing more will be sent: ended, or failed. */
const over = (d: Delivery): boolean => ENDED_STATES.includes(d.state) || d.state === 'failed';

/** What the delivery receipts of an SMS delivery said (messages by receipt status) and the segments billed. */
export interface SmsReceipts {
  byStatus: Partial<Record<string, number>>;
  segments: number;
}

/** What a direct mail or fax provider's return files said (messages by return status) and what the delivery cost. */
export interface RoutedReturns {
  byStatus: Partial<Record<string, number>>;
  cost: { messages: number; cost: number; currency: string } | undefined;
}

type ReasonCounts = ReadonlyArray<{ reason: FailureReason | null; messages: number }>;

/**
 * The figures only one channel has, besides the counters every delivery keeps: an email's opens,
 * clicks and complaints; an SMS's receipts, failures by reason, replies and segments; a push
 * notification's failures by reason, the subscriptions its 404/410 answers expired, and clicks;
 * the provider's returns and cost of direct mail and fax.
 */
export type ChannelFigures =
  | { channel: 'email' }
  | { channel: 'sms'; receipts: SmsReceipts; failures: ReasonCounts; replies: { stop: number; other: number } }
  | { channel: 'push'; failures: ReasonCounts }
  | { channel: 'routed'; routed: RoutedReturns };

export function summaryReport(d: Delivery, ind: DeliveryIndicator | null, t: Translate, figures: ChannelFigures = { channel: 'email' }) {
  const pending = Math.max(0, d.toDeliver - d.processed);
  const chart = partsBar(t('reports.summary.chart'), [
    { label: t('reports.sent'), value: d.sent, cls: 'ok' },
    { label: t('reports.failed'), value: d.failed, cls: 'bad' },
    { label: t('reports.pending'), value: over(d) ? 0 : pending, cls: 'wait' },
    { label: t('reports.excluded'), value: d.excluded, cls: 'muted' },
  ]);
  const define: Array<string | undefined> = [];
  type Row = Array<string | number | null>;
  const row = (label: string, value: number | null | undefined, base?: number, params?: Record<string, string>): Row => {
    define.push(definitionOf(label));
    return [t(label, params), value ?? 0, base === undefined ? null : share(value ?? 0, base)];
  };
  const costRow = (routed: RoutedReturns): Row => {
    define.push(definitionOf('reports.routing_cost'));
    const c = routed.cost;
    return [t('reports.routing_cost'), c ? `${c.cost.toFixed(2)} ${c.currency}` : '—', null];
  };
  const byReason = (failures: ReasonCounts): Row[] =>
    failures.map((f) => row('reports.failed_because', f.messages, d.toDeliver, { reason: t(`reason.${f.reason ?? 'not_defined'}`) }));
  const clicks = (): Row[] =>
    d.trackingEnabled
      ? [
          row('reports.recipient_clicks', ind?.recipientClicks, d.sent),
          row('reports.person_clicks', ind?.personClicks, d.sent),
          row('reports.total_clicks', ind?.totalClicks),
        ]
      : [];
  const common = [
    row('reports.target', d.totalTarget),
    row('reports.excluded', d.excluded, d.totalTarget),
    row('reports.to_deliver', d.toDeliver),
    row('reports.processed', d.processed, d.toDeliver),
    row('reports.sent', d.sent, d.toDeliver),
    row('reports.failed', d.failed, d.toDeliver),
  ];
  const own = (): Row[] => {
    switch (figures.channel) {
      case 'email':
        return [
          row('reports.new_quarantines', d.newQuarantine, d.toDeliver),
          row('reports.complaints', d.complaints, d.sent),
          row('reports.recipient_opens', ind?.recipientOpens, d.sent),
          row('reports.estimated_opens', ind?.estimatedOpens, d.sent),
          row('reports.total_opens', ind?.totalOpens),
          row('reports.recipient_clicks', ind?.recipientClicks, d.sent),
          row('reports.person_clicks', ind?.personClicks, d.sent),
          row('reports.total_clicks', ind?.totalClicks),
          row('reports.reactivity', ind?.recipientClicks, ind?.recipientOpens ?? 0),
          row('reports.forwards', ind?.estimatedForwards),
          row('reports.opt_outs', ind?.optOuts, d.sent),
          row('reports.mirror_views', ind?.mirrorViews),
        ];
      case 'sms': {
        const { receipts: r, replies } = figures;
        return [
          row('reports.sms_delivered', r.byStatus.delivered, d.processed),
          row('reports.sms_undeliverable', r.byStatus.undeliverable, d.processed),
          row('reports.sms_expired', r.byStatus.expired, d.processed),
          row('reports.sms_no_receipt', r.byStatus.none, d.processed),
          ...byReason(figures.failures),
          row('reports.new_quarantines', d.newQuarantine, d.toDeliver),
          row('reports.sms_stop_replies', replies.stop, d.sent),
          row('reports.sms_other_replies', replies.other, d.sent),
          ...clicks(),
          row('reports.sms_segments', r.segments),
        ];
      }
      case 'push':
        return [
          ...byReason(figures.failures),
          row('reports.push_expired', figures.failures.find((f) => f.reason === 'user_unknown')?.messages ?? 0, d.toDeliver),
          ...clicks(),
        ];
      case 'routed':
        return [
          row('reports.routed_delivered', figures.routed.byStatus.delivered, d.processed),
          row('reports.routed_returned', figures.routed.byStatus.returned, d.processed),
          row('reports.routed_bad_address', figures.routed.byStatus.bad_address, d.processed),
          row('reports.new_quarantines', d.newQuarantine, d.toDeliver),
          costRow(figures.routed),
        ];
    }
  };
  const table: ReportTable = {
    name: `delivery-${d.id}-summary`,
    columns: [{ label: 'reports.indicator' }, { label: 'reports.value', num: true }, { label: 'reports.rate', num: true, pct: true, define: 'rate' }],
    define,
    rows: [...common, ...own()],
  };
  return {
    chart,
    table,
    computedAt: ind?.computedAt ?? null,
    complaintsAboveThreshold: figures.channel === 'email' && complaintRate(d) >= GMAIL_COMPLAINT_THRESHOLD,
  };
}

const TRACKING_KEYS = ['opens', 'humanOpens', 'clicks', 'humanClicks'] as const;

/** Opens and clicks per hour (or per day over long spans) of the wall clock of `zone`. */
export function trackingReport(deliveryId: number, slots: readonly TrackingSlot[], t: Translate, zone = 'UTC') {
  const points = slots
    .filter((s) => s.type === 'open' || s.type === 'click')
    .map((s) => ({ at: s.slotStart, values: s.type === 'open' ? { opens: s.hits, humanOpens: s.humanHits } : { clicks: s.hits, humanClicks: s.humanHits } }));
  const { size, rows } = hourlyOrDaily(points, TRACKING_KEYS, 96, zone);
  const categories = rows.map((r) => bucketLabel(r.start, size, zone));
  const chart = rows.length
    ? barChart({
        title: t(size === 'hour' ? 'reports.tracking.chart_hour' : 'reports.tracking.chart_day', { zone }),
        categories,
        axisLabels: rows.map((r) => axisLabel(r.start, size, zone)),
        series: [
          { name: t('reports.opens'), cls: 'a', values: rows.map((r) => r.values.opens) },
          { name: t('reports.clicks'), cls: 'b', values: rows.map((r) => r.values.clicks) },
        ],
      })
    : '';
  const table: ReportTable = {
    name: `delivery-${deliveryId}-tracking`,
    columns: [{ label: size === 'hour' ? 'reports.local_hour' : 'reports.local_day' }, ...TRACKING_KEYS.map((k) => ({ label: `reports.${k}`, num: true }))],
    rows: rows.map((r, i) => [categories[i]!, ...TRACKING_KEYS.map((k) => r.values[k])]),
  };
  return { chart, table, size };
}

export function linksReport(deliveryId: number, links: readonly LinkTotal[], t: Translate) {
  const total = links.reduce((sum, l) => sum + l.hits, 0);
  const chart = links.length
    ? barList(
        t('reports.links.chart'),
        links.slice(0, 15).map((l) => ({ label: l.label || l.url, value: l.hits, cls: l.type === 'click' ? 'b' : 'muted' })),
      )
    : '';
  const table: ReportTable = {
    name: `delivery-${deliveryId}-links`,
    columns: [
      { label: 'reports.link' },
      { label: 'reports.url' },
      { label: 'reports.type' },
      { label: 'reports.clicks', num: true },
      { label: 'reports.humanClicks', num: true },
      { label: 'reports.share', num: true, pct: true },
    ],
    rows: links.map((l) => [l.label, l.url, t(`tracking.${l.type}`), l.hits, l.humanHits, share(l.hits, total)]),
  };
  return { chart, table };
}

export function failuresReport(
  deliveryId: number,
  byReason: ReadonlyArray<{ reason: FailureReason | null; messages: number }>,
  byDomain: readonly DeliveryFailureStat[],
  t: Translate,
) {
  const total = byReason.reduce((sum, r) => sum + r.messages, 0);
  const reasonLabel = (r: FailureReason | null) => t(`reason.${r ?? 'not_defined'}`);
  const domains = new Map<string, number>();
  for (const row of byDomain) domains.set(row.domain, (domains.get(row.domain) ?? 0) + row.messages);
  const topDomains = [...domains].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 12);
  return {
    reasonChart: byReason.length
      ? barList(
          t('reports.failures.by_reason'),
          byReason.map((r) => ({ label: reasonLabel(r.reason), value: r.messages, cls: 'bad' })),
        )
      : '',
    domainChart: topDomains.length
      ? barList(
          t('reports.failures.by_domain'),
          topDomains.map(([domain, messages]) => ({ label: domain, value: messages, cls: 'bad' })),
        )
      : '',
    reasons: {
      name: `delivery-${deliveryId}-failures-by-reason`,
      columns: [{ label: 'reports.reason' }, { label: 'reports.messages', num: true }, { label: 'reports.share', num: true, pct: true }],
      rows: byReason.map((r) => [reasonLabel(r.reason), r.messages, share(r.messages, total)]),
    } satisfies ReportTable,
    domains: {
      name: `delivery-${deliveryId}-failures-by-domain`,
      columns: [{ label: 'reports.domain' }, { label: 'reports.failure_type' }, { label: 'reports.reason' }, { label: 'reports.messages', num: true }],
      rows: byDomain.map((r) => [r.domain, t(`failure.${r.failureType}`), reasonLabel(r.failureReason), r.messages]),
    } satisfies ReportTable,
  };
}
