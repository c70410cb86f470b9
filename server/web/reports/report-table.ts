/**
 * A report table: the columns (message keys of their headers) and the rows, shown on the page by
 * views/partials/report-table.eta and downloaded as CSV by the same route with `.csv`.
 */
export interface ReportTable {
  /** Name of the CSV download (without extension). */
  name: string;
  /** `num`: a number (right-aligned); `pct`: a percentage (share() of the row). */
  columns: ReadonlyArray<{ label: string; num?: boolean; pct?: boolean; /** Anchor of its definition (/reports/definitions#…). */ define?: string }>;
  rows: Array<Array<string | number | null>>;
  /** Per row, the anchor of the definition of the figure its first cell names. */
  define?: Array<string | undefined>;
}

/** `part / whole` as a percentage with one decimal, or null when the whole is 0. */
export function share(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((1000 * part) / whole) / 10 : null;
}
