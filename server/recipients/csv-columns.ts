import { HeraldError } from '../shared/errors.js';
import { EXIT } from '../shared/exit-codes.js';
import { addressProblem, normalizeAddress } from '../shared/email-address.js';
import { checkPhoneNumber } from '../shared/phone-number.js';
import type { RecipientRow, StandardColumn } from '../db/repos/recipients.js';
import { isIsoCountry } from '../shared/time-zones/iso-countries.js';
import { canonicalTimeZone } from '../shared/time-zones/zone-maths.js';
import { isLanguage, LANGUAGES } from '../shared/glossary.js';

/**
 * Pure rules of the recipients CSV: which header names map to which recipient columns, and how a
 * row becomes a recipient or a rejection with a reason. No I/O here.
 */

/**
 * Header names of the standard columns (compared without case, spaces, dots, dashes and
 * underscores). The postal columns carry a `postal_` prefix and the numbers their channel's name, so
 * custom fields that sites already call `city`, `country` or `phone` stay custom fields.
 */
const ALIASES: Record<string, StandardColumn> = {
  email: 'email',
  emailaddress: 'email',
  mail: 'email',
  firstname: 'firstName',
  givenname: 'firstName',
  lastname: 'lastName',
  surname: 'lastName',
  familyname: 'lastName',
  emailformat: 'emailFormat',
  format: 'emailFormat',
  denylisted: 'denylisted',
  blacklisted: 'denylisted',
  optout: 'denylisted',
  denylistedemail: 'denylistedEmail',
  mobile: 'mobile',
  mobilephone: 'mobile',
  mobilenumber: 'mobile',
  fax: 'fax',
  faxnumber: 'fax',
  addressline1: 'addressLine1',
  addressline2: 'addressLine2',
  postalcode: 'postalCode',
  postalcity: 'city',
  postalcountry: 'country',
  timezone: 'timeZone',
  denylistedsms: 'denylistedSms',
  denylistedmobile: 'denylistedSms',
  denylistedpush: 'denylistedPush',
  denylistedpostal: 'denylistedPostal',
  denylisteddirectmail: 'denylistedPostal',
  denylistedfax: 'denylistedFax',
  language: 'language',
  lang: 'language',
  preferredlanguage: 'language',
};

/** Standard columns in export order, with their CSV header names. */
export const EXPORT_COLUMNS: ReadonlyArray<[StandardColumn, string]> = [
  ['email', 'email'],
  ['firstName', 'first_name'],
  ['lastName', 'last_name'],
  ['emailFormat', 'email_format'],
  ['denylisted', 'denylisted'],
  ['denylistedEmail', 'denylisted_email'],
  ['mobile', 'mobile'],
  ['fax', 'fax'],
  ['addressLine1', 'address_line1'],
  ['addressLine2', 'address_line2'],
  ['postalCode', 'postal_code'],
  ['city', 'postal_city'],
  ['country', 'postal_country'],
  ['timeZone', 'time_zone'],
  ['denylistedSms', 'denylisted_sms'],
  ['denylistedPush', 'denylisted_push'],
  ['denylistedPostal', 'denylisted_postal'],
  ['denylistedFax', 'denylisted_fax'],
  ['language', 'language'],
];

/** Free-text postal columns with their CSV names and longest length. */
const POSTAL: Partial<Record<StandardColumn, [string, number]>> = {
  addressLine1: ['address_line1', 255],
  addressLine2: ['address_line2', 255],
  postalCode: ['postal_code', 16],
  city: ['postal_city', 100],
};

/** Opt-out columns with their CSV names. */
const FLAGS: Partial<Record<StandardColumn, string>> = {
  denylisted: 'denylisted',
  denylistedEmail: 'denylisted_email',
  denylistedSms: 'denylisted_sms',
  denylistedPush: 'denylisted_push',
  denylistedPostal: 'denylisted_postal',
  denylistedFax: 'denylisted_fax',
};

export interface ParseOptions {
  /** ISO 3166 alpha-2 country a number written without its country code is read in (recipients.defaultCountry). */
  defaultCountry?: string;
}

/** Custom field names: letters, digits and _, stored in lower case (CSV headers vary in case). */
const CUSTOM_FIELD = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
export const MAX_CUSTOM_FIELD_LENGTH = 1024;

export interface HeaderMap {
  /** For each CSV column index: a standard column or a custom field name. */
  columns: Array<{ kind: 'standard'; column: StandardColumn } | { kind: 'custom'; name: string }>;
  /** For each CSV column index: its name as the header writes it (for reasons). */
  names: string[];
  standard: Set<StandardColumn>;
  customNames: string[];
}

const normalize = (name: string) =>
  name
    .trim()
    .toLowerCase()
    .replace(/[\s_.-]+/g, '');

/** Reads the header row; a header the import cannot use stops the import before any row is written. */
export function mapHeader(header: readonly string[]): HeaderMap {
  const columns: HeaderMap['columns'] = [];
  const standard = new Set<StandardColumn>();
  const seen = new Set<string>();
  for (const raw of header) {
    const name = raw.trim();
    const key = normalize(name);
    if (!name) throw headerError('a column has an empty name');
    if (seen.has(key)) throw headerError(`column "${name}" appears twice`);
    seen.add(key);
    const std = Object.hasOwn(ALIASES, key) ? ALIASES[key] : undefined;
    if (std) {
      columns.push({ kind: 'standard', column: std });
      standard.add(std);
    } else if (CUSTOM_FIELD.test(name)) columns.push({ kind: 'custom', name: name.toLowerCase() });
    else throw headerError(`column "${name}" is not a valid custom field name (letters, digits, _; starting with a letter; ≤ 64)`);
  }
  if (!standard.has('email')) throw headerError('no "email" column');
  return { columns, names: header.map((h) => h.trim()), standard, customNames: columns.flatMap((c) => (c.kind === 'custom' ? [c.name] : [])) };
}

function headerError(reason: string): HeraldError {
  return new HeraldError('IMPORT_BAD_HEADER', `bad CSV header: ${reason}`, { exitCode: EXIT.DATA, status: 400 });
}

export type RowResult = { ok: true; row: RecipientRow } | { ok: false; reason: string };

const TRUE = new Set(['1', 'true', 'yes', 'y']);
const FALSE = new Set(['0', 'false', 'no', 'n', '']);

function parseFlag(value: string, column: string): boolean | string {
  const v = value.trim().toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  return `${column} must be true/false, yes/no or 1/0, got "${value.slice(0, 40)}"`;
}

/**
 * Control characters no field may hold: C0 controls but tab, line feed and carriage return (which
 * quoted fields may carry), DEL and the C1 controls. A NUL would end SQLite's SQL text; the others
 * are garbage from a binary file or a wrong encoding.
 */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/**
 * The export's spreadsheet guard (csv-format.ts) read back: a cell that starts with apostrophes
 * then a formula character lost its first apostrophe on the way out, so `'+33…` is `+33…` again.
 */
export const unguardCell = (value: string): string => (/^'+[=+\-@\t\r]/.test(value) ? value.slice(1) : value);

/** Turns one CSV record into a recipient row or a rejection reason. */
export function parseRow(record: readonly string[], header: HeaderMap, options: ParseOptions = {}): RowResult {
  if (record.length !== header.columns.length) return { ok: false, reason: `expected ${header.columns.length} columns, got ${record.length}` };
  for (let i = 0; i < record.length; i++) {
    const control = CONTROL.exec(record[i]!);
    if (control)
      return { ok: false, reason: `${header.names[i]} holds a control character (U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')})` };
  }
  const row: RecipientRow = { email: '' };
  const fields: Record<string, string> = {};
  for (let i = 0; i < record.length; i++) {
    const col = header.columns[i]!;
    const value = unguardCell(record[i]!.trim());
    if (col.kind === 'custom') {
      if (value.length > MAX_CUSTOM_FIELD_LENGTH) return { ok: false, reason: `${col.name} longer than ${MAX_CUSTOM_FIELD_LENGTH} characters` };
      fields[col.name] = value;
      continue;
    }
    switch (col.column) {
      case 'email':
        row.email = normalizeAddress(value);
        break;
      case 'firstName':
      case 'lastName':
        if (value.length > 255) return { ok: false, reason: `${col.column === 'firstName' ? 'first name' : 'last name'} longer than 255 characters` };
        row[col.column] = value === '' ? null : value;
        break;
      case 'emailFormat': {
        const f = value.toLowerCase();
        if (f !== '' && f !== 'html' && f !== 'text') return { ok: false, reason: `email_format must be "html" or "text", got "${value.slice(0, 40)}"` };
        row.emailFormat = f === 'text' ? 'text' : 'html';
        break;
      }
      case 'mobile':
      case 'fax': {
        if (value === '') {
          row[col.column] = null;
          break;
        }
        const checked = checkPhoneNumber(value, col.column, options.defaultCountry);
        if (!checked.ok) return { ok: false, reason: checked.reason };
        row[col.column] = checked.e164;
        break;
      }
      case 'country': {
        const country = value.toUpperCase();
        if (country !== '' && !isIsoCountry(country))
          return { ok: false, reason: `postal_country must be an ISO 3166 two-letter country code such as FR, got "${value.slice(0, 40)}"` };
        row.country = country === '' ? null : country;
        break;
      }
      case 'timeZone': {
        // empty: the recipient goes by their country's zone, else the delivery's (decided when a delivery starts)
        const zone = value === '' ? null : canonicalTimeZone(value);
        if (zone === undefined) return { ok: false, reason: `time_zone must be an IANA time zone such as Europe/Paris, got "${value.slice(0, 40)}"` };
        row.timeZone = zone;
        break;
      }
      case 'language': {
        const language = languageOf(value);
        if (language === undefined)
          return { ok: false, reason: `language must be one of ${LANGUAGES.join(', ')} (or a regional form such as es-MX), got "${value.slice(0, 40)}"` };
        row.language = language;
        break;
      }
      default: {
        const postal = POSTAL[col.column];
        if (postal) {
          if (value.length > postal[1]) return { ok: false, reason: `${postal[0]} longer than ${postal[1]} characters` };
          row[col.column as 'city'] = value === '' ? null : value;
          break;
        }
        const flag = parseFlag(value, FLAGS[col.column] ?? col.column);
        if (typeof flag === 'string') return { ok: false, reason: flag };
        row[col.column as 'denylisted'] = flag;
      }
    }
  }
  const problem = addressProblem(row.email);
  if (problem) return { ok: false, reason: problem };
  if (header.customNames.length > 0) row.fields = fields;
  return { ok: true, row };
}

/** A language cell: `es`, `ES`, `es-MX` or `es_MX` → `es`; empty → null; anything else → undefined. */
export function languageOf(value: string): string | null | undefined {
  if (value === '') return null;
  const m = /^([A-Za-z]{2})(?:[-_][A-Za-z0-9]{1,8})*$/.exec(value);
  const code = m?.[1]!.toLowerCase();
  return code && isLanguage(code) ? code : undefined;
}

/** Guesses the delimiter from the header line: the most frequent of comma, semicolon and tab. */
export function detectDelimiter(headerLine: string): ',' | ';' | '\t' {
  const count = (c: string) => headerLine.split(c).length - 1;
  const candidates: Array<',' | ';' | '\t'> = [',', ';', '\t'];
  return candidates.reduce((best, c) => (count(c) > count(best) ? c : best), ',');
}
