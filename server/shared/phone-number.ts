import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode, type NumberType } from 'libphonenumber-js/max';

/**
 * Mobile and fax numbers, checked and stored the same way wherever they come in: the CSV import,
 * the console, the API and the delivery analysis. A number is stored in E.164 (`+33612345678`);
 * one written without its country code is read in the site's default country
 * (`recipients.defaultCountry`). The check uses libphonenumber's full metadata, so a number of a
 * range no operator was given is refused, not just one of the wrong length.
 */

export type PhoneCheck = { ok: true; e164: string } | { ok: false; reason: string };

/** Number types that cannot receive an SMS: a mobile number of one of these is refused with its type named. */
const NOT_MOBILE: ReadonlySet<NumberType> = new Set(['FIXED_LINE', 'TOLL_FREE', 'PREMIUM_RATE', 'SHARED_COST', 'UAN', 'VOICEMAIL', 'PAGER']);

const TYPE_NAMES: Partial<Record<NonNullable<NumberType>, string>> = {
  FIXED_LINE: 'a landline',
  TOLL_FREE: 'a toll-free number',
  PREMIUM_RATE: 'a premium-rate number',
  SHARED_COST: 'a shared-cost number',
  UAN: 'a universal access number',
  VOICEMAIL: 'a voicemail access number',
  PAGER: 'a pager number',
};

/** Whether `value` is an ISO 3166 alpha-2 country libphonenumber has numbering plans for (for the config check). */
export const isCountryCode = (value: string): value is CountryCode => /^[A-Z]{2}$/.test(value) && isSupportedCountry(value);

/**
 * Checks a number as typed and returns its E.164 form, or why it cannot be used. `kind` 'mobile'
 * also refuses numbers whose range is known not to be mobile (a landline cannot receive an SMS);
 * 'fax' accepts any valid number.
 */
export function checkPhoneNumber(value: string, kind: 'mobile' | 'fax', defaultCountry?: string): PhoneCheck {
  const label = kind === 'mobile' ? 'mobile number' : 'fax number';
  const typed = value.trim();
  if (typed === '') return { ok: false, reason: `empty ${label}` };
  if (typed.length > 40) return { ok: false, reason: `${label} longer than 40 characters` };
  if (/[^0-9+()\-.\s/]/.test(typed)) return { ok: false, reason: `${label} "${typed}" holds characters other than digits, spaces, + - . ( ) /` };
  const international = typed.startsWith('+') || typed.startsWith('00');
  const text = typed.startsWith('00') ? `+${typed.slice(2)}` : typed;
  if (!international && !defaultCountry)
    return { ok: false, reason: `${label} "${typed}" has no country code (write it as +<country code><number>, or set recipients.defaultCountry)` };
  const parsed = parsePhoneNumberFromString(text, international ? undefined : (defaultCountry as CountryCode));
  if (!parsed || !parsed.isValid()) return { ok: false, reason: `${label} "${typed}" is not a valid number${international ? '' : ` in ${defaultCountry}`}` };
  const type = parsed.getType();
  if (kind === 'mobile' && type && NOT_MOBILE.has(type))
    return { ok: false, reason: `${label} "${typed}" is ${TYPE_NAMES[type] ?? type}, not a mobile number` };
  return { ok: true, e164: parsed.number };
}

/** Whether a stored value is in E.164 form (a plus, then 8 to 15 digits not starting with 0). */
export const isE164 = (value: string): boolean => /^\+[1-9]\d{7,14}$/.test(value);
