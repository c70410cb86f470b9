import type { DeliveryFigures } from '../../db/repos/home-figures.js';
import { lastLocalDays, localDayOf } from '../../shared/time-zones/zone-maths.js';
import { sparkline } from '../console/charts/sparkline.js';
import type { Translate } from '../i18n/translate.js';
import { share } from './report-table.js';

/**
 * The home page's figures (pure): each recent delivery's key rates, and the last 30 days' rates
 * per day with their trend lines. A delivery counts on the day it started in the operator's time zone
 * (a day of 23 or 25 hours when the clocks change); a day's rate is its
 * deliveries' numerators over their denominators (not an average of rates). Definitions of every
 * rate are in indicator-definitions.ts.
 */

export const RATE_KEYS = ['delivered', 'bounce', 'open', 'click', 'complaint', 'unsubscribe'] as const;
export type RateKey = (typeof RATE_KEYS)[number];

type Sums = Pick<DeliveryFigures, 'processed' | 'sent' | 'failed' | 'opens' | 'clicks' | 'optOuts' | 'complaints'>;

const ZERO: Sums = { processed: 0, sent: 0, failed: 0, opens: 0, clicks: 0, optOuts: 0, complaints: 0 };

/** Each rate in percent (one decimal), or null when its base is 0. */
export function ratesOf(s: Sums): Record<RateKey, number | null> {
  return {
    delivered: share(s.sent, s.processed),
    bounce: share(s.failed, s.processed),
    open: share(s.opens, s.sent),
    click: share(s.clicks, s.sent),
    complaint: share(s.complaints, s.sent),
    unsubscribe: share(s.optOuts, s.sent),
  };
}

function add(a: Sums, b: Sums): Sums {
  return {
    processed: a.processed + b.processed,
    sent: a.sent + b.sent,
    failed: a.failed + b.failed,
    opens: a.opens + b.opens,
    clicks: a.clicks + b.clicks,
    optOuts: a.optOuts + b.optOuts,
    complaints: a.complaints + b.complaints,
  };
}

export interface Tile {
  key: 'sent' | RateKey;
  /** The whole period's figure: a count for `sent`, a percentage for the rates. */
  value: number | null;
  percent: boolean;
  chart: string;
}

/** The last `days` days up to `now` (days of `zone`, oldest first): one tile per figure with its trend. */
export function periodTiles(
  rows: readonly DeliveryFigures[],
  now: Date,
  t: Translate,
  zone = 'UTC',
  days = 30,
): { tiles: Tile[]; from: string; to: string; zone: string } {
  const period = lastLocalDays(now, zone, days);
  const index = new Map(period.days.map((day, i) => [day, i]));
  const byDay: Sums[] = Array.from({ length: days }, () => ({ ...ZERO }));
  let total = { ...ZERO };
  for (const r of rows) {
    const i = index.get(localDayOf(r.startedAt, zone));
    if (i === undefined) continue;
    byDay[i] = add(byDay[i]!, r);
    total = add(total, r);
  }
  const from = period.days[0]!;
  const to = period.days[days - 1]!;
  const daily = byDay.map(ratesOf);
  const sentLabel = t('home.trend', { figure: t('home.rate.sent'), from, to });
  const tiles: Tile[] = [
    {
      key: 'sent',
      value: total.processed,
      percent: false,
      chart: sparkline(
        byDay.map((d) => d.processed),
        sentLabel,
      ),
    },
    ...RATE_KEYS.map((key) => ({
      key,
      value: ratesOf(total)[key],
      percent: true,
      chart: sparkline(
        daily.map((d) => d[key]),
        t('home.trend', { figure: t(`home.rate.${key}`), from, to }),
      ),
    })),
  ];
  return { tiles, from, to, zone };
}

/** The latest deliveries with their key rates. */
export function recentDeliveries(rows: readonly DeliveryFigures[], limit = 5) {
  return rows.slice(0, limit).map((r) => ({ ...r, rates: ratesOf(r) }));
}
