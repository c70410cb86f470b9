import { esc, n, niceScale, shortNumber, svgOpen } from './svg.js';

/**
 * A vertical bar chart over categories (hours, days): one bar per series, side by side, or stacked.
 * Pure: data in, SVG text out. Every label is escaped; colours are CSS classes (`series-<cls>`).
 */

export interface Series {
  name: string;
  /** Colour class: the bar gets `series-<cls>`. */
  cls: string;
  values: readonly number[];
}

export interface BarChartInput {
  title: string;
  categories: readonly string[];
  series: readonly Series[];
  stacked?: boolean;
  /** Short labels for the axis (default: the categories, which the tooltips always show). */
  axisLabels?: readonly string[];
}

const W = 760;
const H = 260;
const PAD = { left: 48, right: 12, top: 12, bottom: 46 };

function maxValue(input: BarChartInput): number {
  if (!input.stacked) return Math.max(0, ...input.series.flatMap((s) => s.values));
  return Math.max(0, ...input.categories.map((_, i) => input.series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0)));
}

function axis(top: number, step: number, plotH: number): string {
  let out = '';
  for (let v = 0; v <= top + step / 2; v += step) {
    const y = PAD.top + plotH - (v / top) * plotH;
    out += `<line class="grid" x1="${PAD.left}" x2="${W - PAD.right}" y1="${n(y)}" y2="${n(y)}"/><text class="tick" x="${PAD.left - 6}" y="${n(y + 4)}" text-anchor="end">${esc(shortNumber(v))}</text>`;
  }
  return out;
}

function bars(input: BarChartInput, top: number, plotH: number): string {
  const count = Math.max(1, input.categories.length);
  const slot = (W - PAD.left - PAD.right) / count;
  const groups = input.stacked ? 1 : Math.max(1, input.series.length);
  const width = Math.max(1, (slot * 0.8) / groups);
  let out = '';
  input.categories.forEach((category, i) => {
    let base = 0;
    input.series.forEach((s, k) => {
      const value = s.values[i] ?? 0;
      if (value <= 0) return;
      const h = (value / top) * plotH;
      const x = PAD.left + i * slot + slot * 0.1 + (input.stacked ? 0 : k * width);
      const y = PAD.top + plotH - base - h;
      out += `<rect class="series-${esc(s.cls)}" x="${n(x)}" y="${n(y)}" width="${n(width)}" height="${n(h)}"><title>${esc(`${category} · ${s.name}: ${value}`)}</title></rect>`;
      if (input.stacked) base += h;
    });
  });
  return out;
}

/** Axis labels, every n-th one so that they never overlap (about 70 px each). */
function labels(input: BarChartInput): string {
  const texts = input.axisLabels ?? input.categories;
  const slot = (W - PAD.left - PAD.right) / Math.max(1, texts.length);
  const widest = Math.max(1, ...texts.map((c) => c.length));
  const every = Math.max(1, Math.ceil((widest * 6.5 + 10) / slot));
  return texts
    .map((c, i) =>
      i % every === 0 ? `<text class="tick" x="${n(PAD.left + i * slot + slot / 2)}" y="${H - PAD.bottom + 16}" text-anchor="middle">${esc(c)}</text>` : '',
    )
    .join('');
}

function legend(series: readonly Series[]): string {
  return series
    .map(
      (s, k) =>
        `<rect class="series-${esc(s.cls)}" x="${PAD.left + k * 150}" y="${H - 18}" width="10" height="10"/><text class="legend" x="${PAD.left + k * 150 + 14}" y="${H - 9}">${esc(s.name)}</text>`,
    )
    .join('');
}

export function barChart(input: BarChartInput): string {
  const plotH = H - PAD.top - PAD.bottom;
  const { top, step } = niceScale(maxValue(input));
  return `${svgOpen(W, H, input.title, 'bars')}${axis(top, step, plotH)}${bars(input, top, plotH)}${labels(input)}${legend(input.series)}</svg>`;
}
