import type { ColumnField, ColumnSpec } from '../shared/routing-columns.js';
import { postalLine } from '../shared/postal-address.js';
import { documentId } from './document-id.js';

/**
 * An extraction file's bytes from its lines (pure): CSV (RFC 4180 quoting, the configured
 * separator, an optional header line) or fixed width (each value cut or padded to its column's
 * width), in the configured encoding and line ending. Line breaks inside values become spaces
 * (a provider reads one letter per line); characters the encoding lacks become "?".
 */

export interface Layout {
  format: 'csv' | 'fixed';
  columns: readonly ColumnSpec[];
  header: boolean;
  separator: string;
  encoding: 'utf8' | 'latin1' | 'ascii' | 'utf16le';
  lineEnding: 'crlf' | 'lf';
}

export interface LineSource {
  broadLogId: number;
  deliveryId: number;
  deliveryLabel: string;
  recipientId: number | null;
  address: string;
  recipient: Record<string, unknown> | undefined;
}

const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

/** The value of one column for one message. */
export function columnValue(field: ColumnField, s: LineSource): string {
  const r = s.recipient ?? {};
  switch (field) {
    case 'documentId':
      return documentId(s.deliveryId, s.broadLogId);
    case 'recipientId':
      return text(s.recipientId);
    case 'deliveryId':
      return String(s.deliveryId);
    case 'deliveryLabel':
      return s.deliveryLabel;
    case 'postalAddress':
      return (s.recipient ? postalLine(r).address : s.address).toUpperCase();
    default:
      if (field.startsWith('fields.')) {
        const fields = r.fields;
        const parsed = typeof fields === 'string' ? (JSON.parse(fields) as Record<string, unknown>) : (fields as Record<string, unknown> | null);
        return text(parsed?.[field.slice('fields.'.length)]);
      }
      return text(r[field]);
  }
}

const flat = (v: string) => v.replace(/[\r\n\t]+/g, ' ');

function csvCell(v: string, separator: string): string {
  return /["\r\n]/.test(v) || v.includes(separator) || /^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function fixedCell(v: string, c: ColumnSpec): string {
  const chars = [...v];
  const width = c.width ?? chars.length;
  if (chars.length >= width) return chars.slice(0, width).join('');
  const fill = c.pad.repeat(width - chars.length);
  return c.align === 'right' ? fill + v : v + fill;
}

/** Characters outside the encoding become "?" (Buffer would write them as garbage). */
function encodable(v: string, encoding: Layout['encoding']): string {
  if (encoding === 'ascii') return v.replace(/[^\x00-\x7F]/g, '?');
  if (encoding === 'latin1') return v.replace(/[^\x00-\xFF]/gu, '?');
  return v;
}

export function renderExtraction(layout: Layout, lines: readonly LineSource[]): Buffer {
  const eol = layout.lineEnding === 'crlf' ? '\r\n' : '\n';
  const row = (values: string[]) =>
    layout.format === 'csv'
      ? values.map((v) => csvCell(v, layout.separator)).join(layout.separator)
      : values.map((v, i) => fixedCell(v, layout.columns[i]!)).join('');
  const out: string[] = [];
  if (layout.header && layout.format === 'csv') out.push(row(layout.columns.map((c) => c.field)));
  for (const line of lines) out.push(row(layout.columns.map((c) => flat(columnValue(c.field, line)))));
  return Buffer.from(encodable(out.map((l) => l + eol).join(''), layout.encoding), layout.encoding);
}
