/**
 * Small SVG building blocks for the report charts: escaped text, rounded numbers and nice axis
 * scales. Charts are drawn on the server as inline SVG (no client library, no network); colours
 * come from CSS classes in herald.css (the CSP forbids style attributes).
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** A coordinate with at most one decimal. */
export const n = (v: number): string => String(Math.round(v * 10) / 10);

/** The smallest "round" number (1, 2, 2.5, 5 × 10^k) at or above `max`, and a step giving about `ticks` lines. */
export function niceScale(max: number, ticks = 4): { top: number; step: number } {
  if (!(max > 0)) return { top: 1, step: 1 };
  const raw = max / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  const whole = step >= 1 ? Math.max(1, Math.round(step)) : step;
  return { top: Math.ceil(max / whole) * whole, step: whole };
}

/** A short number for axis labels: 1.2k, 3.4M. */
export function shortNumber(v: number): string {
  if (Math.abs(v) >= 1e6) return `${n(v / 1e6)}M`;
  if (Math.abs(v) >= 1e4) return `${n(v / 1e3)}k`;
  return n(v);
}

/** The opening of a chart: accessible name and description, fixed view box, scalable width. */
export function svgOpen(width: number, height: number, title: string, className: string): string {
  return `<svg class="chart ${esc(className)}" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${esc(title)}" xmlns="http://www.w3.org/2000/svg"><title>${esc(title)}</title>`;
}
