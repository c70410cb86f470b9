import type { Quarantine, SubscriptionSlotStat } from '../../db/models/index.js';
import { localDateTime, localDayOf } from '../../shared/time-zones/zone-maths.js';
import type { DomainStat, QuarantineCount, SlotTotal } from '../../db/repos/operations-reports.js';
import { barChart } from '../console/charts/bar-chart.js';
import { barList } from '../console/charts/bar-list.js';
import { axisLabel, bucketLabel, buckets, HOUR_MS } from '../console/time-buckets.js';
import type { Translate } from '../i18n/translate.js';
import { share, type ReportTable } from './report-table.js';

/**
 * Reports across deliveries as tables and SVG charts (pure): per-domain SMTP statistics,
 * throughput per hour, the quarantine overview and a service's subscriptions per day.
 */

export function domainsReport(rows: readonly DomainStat[], days: number, t: Translate) {
  const chart = rows.length
    ? barList(
        t('reports.domains.chart', { days }),
        rows.slice(0, 15).map((r) => ({ label: r.domain, value: r.messages, cls: 'a' })),
      )
    : '';
  const table: ReportTable = {
    name: `domains-${days}d`,
    columns: ['domain', 'messages', 'sent', 'soft_errors', 'hard_errors', 'timeouts', 'refused_connections', 'connections', 'error_rate'].map((k, i) => ({
      label: `reports.${k}`,
      num: i > 0,
      pct: k === 'error_rate',
    })),
    rows: rows.map((r) => [
      r.domain,
      r.messages,
      r.sent,
      r.softErrors,
      r.hardErrors,
      r.timeouts,
      r.refusedConnections,
      r.connections,
      share(r.softErrors + r.hardErrors, r.messages),
    ]),
  };
  return { chart, table };
}

const THROUGHPUT_KEYS = ['messages', 'sent', 'softErrors', 'hardErrors'] as const;

/** Messages per hour of `zone`'s clock (a half-hour zone's hours begin at half past in UTC), the latest `hours` hours. */
export function throughputReport(slots: readonly SlotTotal[], hours: number, now: Date, t: Translate, zone = 'UTC') {
  const points = [
    { at: new Date(now.getTime() - (hours - 1) * HOUR_MS), values: {} },
    ...slots.map((s) => ({ at: s.slotStart, values: s })),
    { at: now, values: {} },
  ];
  const rows = buckets(points, THROUGHPUT_KEYS, 'hour', hours, zone);
  const categories = rows.map((r) => bucketLabel(r.start, 'hour', zone));
  const chart = barChart({
    title: t('reports.throughput.chart', { hours, zone }),
    categories,
    axisLabels: rows.map((r) => axisLabel(r.start, 'hour', zone)),
    stacked: true,
    series: [
      { name: t('reports.sent'), cls: 'ok', values: rows.map((r) => r.values.sent) },
      { name: t('reports.soft_errors'), cls: 'wait', values: rows.map((r) => r.values.softErrors) },
      { name: t('reports.hard_errors'), cls: 'bad', values: rows.map((r) => r.values.hardErrors) },
    ],
  });
  const table: ReportTable = {
    name: `throughput-${hours}h`,
    columns: [
      { label: 'reports.local_hour' },
      ...THROUGHPUT_KEYS.map((k) => ({ label: `reports.${k === 'softErrors' ? 'soft_errors' : k === 'hardErrors' ? 'hard_errors' : k}`, num: true })),
    ],
    rows: rows.map((r, i) => [categories[i]!, ...THROUGHPUT_KEYS.map((k) => r.values[k])]),
  };
  const peak = Math.max(0, ...rows.map((r) => r.values.messages));
  return { chart, table, peak };
}

export function quarantineReport(
  counts: readonly QuarantineCount[],
  domains: ReadonlyArray<{ domain: string; addresses: number }>,
  recent: readonly Quarantine[],
  t: Translate,
  zone = 'UTC',
) {
  const byStatus = new Map<string, number>();
  for (const c of counts) byStatus.set(c.status, (byStatus.get(c.status) ?? 0) + c.addresses);
  const cls: Record<string, string> = { valid: 'ok', with_errors: 'wait', quarantine: 'bad', denylisted: 'muted' };
  return {
    chart: byStatus.size
      ? barList(
          t('reports.quarantines.chart'),
          [...byStatus].map(([status, n]) => ({ label: t(`quarantine.${status}`), value: n, cls: cls[status] ?? 'a' })),
        )
      : '',
    counts: {
      name: 'quarantines-by-status-and-reason',
      columns: [{ label: 'reports.status' }, { label: 'reports.reason' }, { label: 'reports.addresses', num: true }],
      rows: counts.map((c) => [t(`quarantine.${c.status}`), c.reason ? t(`reason.${c.reason}`) : '', c.addresses]),
    } satisfies ReportTable,
    domains: {
      name: 'quarantines-by-domain',
      columns: [{ label: 'reports.domain' }, { label: 'reports.addresses', num: true }],
      rows: domains.map((d) => [d.domain, d.addresses]),
    } satisfies ReportTable,
    recent: {
      name: 'quarantines-recent',
      columns: [
        { label: 'reports.address' },
        { label: 'reports.failure_type' },
        { label: 'reports.reason' },
        { label: 'reports.errors', num: true },
        { label: 'reports.since' },
      ],
      rows: recent.map((q) => [
        q.address,
        q.failureType ? t(`failure.${q.failureType}`) : '',
        q.failureReason ? t(`reason.${q.failureReason}`) : '',
        q.errorCount,
        localDateTime(q.updatedAt, zone),
      ]),
    } satisfies ReportTable,
  };
}

const DAY_KEYS = ['subscribed', 'confirmed', 'unsubscribed', 'expired'] as const;

interface DayRow extends Record<(typeof DAY_KEYS)[number], number> {
  day: string;
}

/** Quarter-hour slots (`YYYY-MM-DD HH:MM`, UTC) folded into the calendar days of `zone` (pure); days without events are left out. */
export function localDays(slots: readonly SubscriptionSlotStat[], zone: string): DayRow[] {
  const days = new Map<string, DayRow>();
  for (const s of slots) {
    const day = localDayOf(new Date(`${s.slot.replace(' ', 'T')}:00Z`), zone);
    let row = days.get(day);
    if (!row) days.set(day, (row = { day, subscribed: 0, confirmed: 0, unsubscribed: 0, expired: 0 }));
    for (const k of DAY_KEYS) row[k] += s[k];
  }
  return [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
}

/** A service's subscriptions per day of `zone`, from the quarter-hour aggregate of the period. */
export function subscriptionsReport(serviceName: string, slots: readonly SubscriptionSlotStat[], t: Translate, zone = 'UTC') {
  const days = localDays(slots, zone);
  const chart = days.length
    ? barChart({
        title: t('reports.subscriptions.chart', { zone }),
        categories: days.map((d) => d.day),
        axisLabels: days.map((d) => d.day.slice(5)),
        series: [
          { name: t('reports.gained'), cls: 'ok', values: days.map((d) => d.subscribed) },
          { name: t('reports.lost'), cls: 'bad', values: days.map((d) => d.unsubscribed + d.expired) },
        ],
      })
    : '';
  const table: ReportTable = {
    name: `subscriptions-${serviceName}`,
    columns: [{ label: 'reports.local_day' }, ...DAY_KEYS.map((k) => ({ label: `reports.${k}`, num: true })), { label: 'reports.net', num: true }],
    rows: days.map((d) => [d.day, ...DAY_KEYS.map((k) => d[k]), d.subscribed - d.unsubscribed - d.expired]),
  };
  const totals = Object.fromEntries(DAY_KEYS.map((k) => [k, days.reduce((sum, d) => sum + d[k], 0)])) as Record<(typeof DAY_KEYS)[number], number>;
  return {
    chart,
    table,
    totals: { ...totals, net: totals.subscribed - totals.unsubscribed - totals.expired },
    computedAt: slots.reduce<Date | null>((latest, d) => (!latest || d.computedAt > latest ? d.computedAt : latest), null),
  };
}
