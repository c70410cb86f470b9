/**
 * Writing CSV cells safely: quoted when needed (RFC 4180), and never read as a formula by a
 * spreadsheet (cells starting with = + - @ tab or CR get a leading apostrophe). Cells that already
 * start with apostrophes before such a character get one more, so the import (unguardCell in
 * csv-columns.ts) removes exactly one and every value comes back as it was.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n;]/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly unknown[]): string {
  return values.map(csvCell).join(',') + '\r\n';
}
