import { esc, n } from './svg.js';

/**
 * A small trend line for a dashboard tile: one point per day, scaled to its own maximum. A day
 * without a value (nothing sent that day, so no rate) is skipped: the line joins the days around it. Inline SVG drawn on the server; colours come
 * from `svg.spark` classes in herald.css. The accessible name says what it shows in words.
 */
const W = 120;
const H = 32;
const PAD = 2;

export function sparkline(values: ReadonlyArray<number | null>, label: string): string {
  const known = values.filter((v): v is number => v !== null);
  const max = Math.max(0, ...known);
  const x = (i: number) => (values.length <= 1 ? W / 2 : PAD + (i * (W - 2 * PAD)) / (values.length - 1));
  const y = (v: number) => (max > 0 ? H - PAD - (v * (H - 2 * PAD)) / max : H - PAD);
  const points = values.flatMap((v, i) => (v === null ? [] : [`${n(x(i))} ${n(y(v))}`]));
  // A lone point (one day with a value) is drawn as a short flat stroke so that it shows.
  const d = points.length === 0 ? '' : points.length === 1 ? `M${points[0]}h1.5` : `M${points.join('L')}`;
  const paths = d ? [`<path class="line" d="${d}"/>`] : [];
  return (
    `<svg class="spark" viewBox="0 0 ${W} ${H}" preserveAspectRatio="none" role="img" aria-label="${esc(label)}" xmlns="http://www.w3.org/2000/svg">` +
    `<title>${esc(label)}</title><line class="base" x1="0" y1="${H - PAD}" x2="${W}" y2="${H - PAD}"/>${paths.join('')}</svg>`
  );
}
