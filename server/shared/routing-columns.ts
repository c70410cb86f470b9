/**
 * One column of a provider's extraction file, as written in `[[routing.providers]] columns`:
 * `field[:width[:left|right[:pad]]]`. The field is a recipient field, a custom field
 * (`fields.<name>`), the message's document id or a delivery field; the width (characters) makes a
 * fixed-width column (longer values are cut, shorter ones padded with `pad`, a space unless given,
 * on the side opposite the alignment). A CSV column ignores the width. Pure; shared by the config
 * check and the extraction writer.
 */

export const COLUMN_FIELDS = [
  'documentId',
  'recipientId',
  'deliveryId',
  'deliveryLabel',
  'email',
  'firstName',
  'lastName',
  'addressLine1',
  'addressLine2',
  'postalCode',
  'city',
  'country',
  'postalAddress',
  'fax',
  'mobile',
] as const;
export type ColumnField = (typeof COLUMN_FIELDS)[number] | `fields.${string}`;

export interface ColumnSpec {
  field: ColumnField;
  width: number | null;
  align: 'left' | 'right';
  pad: string;
}

const CUSTOM = /^fields\.[A-Za-z0-9_]{1,64}$/;
export const MAX_COLUMN_WIDTH = 1000;

export function parseColumn(spec: string): { ok: true; column: ColumnSpec } | { ok: false; reason: string } {
  const [field = '', width, align, pad, ...rest] = spec.split(':');
  if (rest.length) return { ok: false, reason: `"${spec}" has more than four parts (field:width:align:pad)` };
  if (!(COLUMN_FIELDS as readonly string[]).includes(field) && !CUSTOM.test(field))
    return { ok: false, reason: `"${field}" is not a column field (one of ${COLUMN_FIELDS.join(', ')}, or fields.<name>)` };
  let w: number | null = null;
  if (width !== undefined && width !== '') {
    if (!/^\d+$/.test(width) || Number(width) < 1 || Number(width) > MAX_COLUMN_WIDTH)
      return { ok: false, reason: `"${spec}": the width must be a whole number from 1 to ${MAX_COLUMN_WIDTH}` };
    w = Number(width);
  }
  if (align !== undefined && align !== '' && align !== 'left' && align !== 'right')
    return { ok: false, reason: `"${spec}": the alignment is "left" or "right"` };
  if (pad !== undefined && [...pad].length !== 1) return { ok: false, reason: `"${spec}": the padding is one character` };
  return { ok: true, column: { field: field as ColumnField, width: w, align: align === 'right' ? 'right' : 'left', pad: pad ?? ' ' } };
}

/** Every column of a list, or the first problem. */
export function parseColumns(specs: readonly string[]): { ok: true; columns: ColumnSpec[] } | { ok: false; reason: string } {
  const columns: ColumnSpec[] = [];
  for (const spec of specs) {
    const r = parseColumn(spec);
    if (!r.ok) return r;
    columns.push(r.column);
  }
  return { ok: true, columns };
}
