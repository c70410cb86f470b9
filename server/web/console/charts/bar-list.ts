import { esc, n, svgOpen } from './svg.js';

/**
 * Horizontal bars, one per labelled value (failures by reason, clicks per link), and a single
 * stacked bar of parts of a whole (a delivery's messages by outcome). Pure; labels escaped.
 */

export interface BarItem {
  label: string;
  value: number;
  cls?: string;
}

const W = 760;
const ROW = 26;
const LABEL_W = 260;

export function barList(title: string, items: readonly BarItem[], valueText: (v: number) => string = String): string {
  const max = Math.max(1, ...items.map((i) => i.value));
  const height = Math.max(ROW, items.length * ROW) + 8;
  const rows = items
    .map((item, k) => {
      const y = 4 + k * ROW;
      const w = ((W - LABEL_W - 90) * item.value) / max;
      const label = item.label.length > 40 ? `${item.label.slice(0, 39)}…` : item.label;
      return (
        `<text class="label" x="${LABEL_W - 8}" y="${y + 16}" text-anchor="end">${esc(label)}</text>` +
        `<rect class="series-${esc(item.cls ?? 'a')}" x="${LABEL_W}" y="${y + 4}" width="${n(Math.max(item.value > 0 ? 1 : 0, w))}" height="${ROW - 8}"><title>${esc(`${item.label}: ${valueText(item.value)}`)}</title></rect>` +
        `<text class="value" x="${n(LABEL_W + w + 6)}" y="${y + 16}">${esc(valueText(item.value))}</text>`
      );
    })
    .join('');
  return `${svgOpen(W, height, title, 'bar-list')}${rows}</svg>`;
}

/** One bar split into its parts, with a legend under it. */
export function partsBar(title: string, parts: readonly BarItem[]): string {
  const total = parts.reduce((sum, p) => sum + Math.max(0, p.value), 0);
  let x = 0;
  const segments = parts
    .filter((p) => p.value > 0)
    .map((p) => {
      const w = total > 0 ? (W * p.value) / total : 0;
      const out = `<rect class="series-${esc(p.cls ?? 'a')}" x="${n(x)}" y="0" width="${n(w)}" height="28"><title>${esc(`${p.label}: ${p.value}`)}</title></rect>`;
      x += w;
      return out;
    })
    .join('');
  const legend = parts
    .map(
      (p, k) =>
        `<rect class="series-${esc(p.cls ?? 'a')}" x="${k * 150}" y="40" width="10" height="10"/><text class="legend" x="${k * 150 + 14}" y="49">${esc(`${p.label} (${p.value})`)}</text>`,
    )
    .join('');
  return `${svgOpen(W, 56, title, 'parts')}<rect class="empty" x="0" y="0" width="${W}" height="28"/>${segments}${legend}</svg>`;
}
