import { esc, n } from './svg.js';

/**
 * A small trend line for a dashboard tile: one point per day, gaps where a day has no value
 * (nothing sent that day), scaled to its own maximum. Inline SVG drawn on the server; colours come
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
  const runs: string[] = [];
  let run = '';
  values.forEach((v, i) => {
    if (v === null) {
      if (run) runs.push(run);
      run = '';
      return;
    }
    run += `${run ? 'L' : 'M'}${n(x(i))} ${n(y(v))}`;
  });
  if (run) runs.push(run);
  // A lone point (one day with a value) is drawn as a short flat stroke so that it shows.
  const paths = runs.map((d) => (d.includes('L') ? d : `${d}h1.5`)).map((d) => `<path class="line" d="${d}"/>`);
  return (
    `<svg class="spark" viewBox="0 0 ${W} ${H}" preserveAspectRatio="none" role="img" aria-label="${esc(label)}" xmlns="http://www.w3.org/2000/svg">` +
    `<title>${esc(label)}</title><line class="base" x1="0" y1="${H - PAD}" x2="${W}" y2="${H - PAD}"/>${paths.join('')}</svg>`
  );
}
