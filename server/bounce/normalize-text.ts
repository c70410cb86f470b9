/**
 * Adobe's "delivery log qualification" key: one row per normalized bounce or SMTP text. Addresses
 * become `*`; dates, numbers, ids, IP addresses and anything else carrying digits become `#xxx#`,
 * so "550 5.1.1 <ann@example.com>... User unknown" and the same reply for bob count as one text.
 * The SMTP reply code and the RFC 3463 status code are kept: they are what the text means.
 */

const ADDRESS = /<?[A-Za-z0-9._%+!#$&'*/=?^`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+>?/g;
const MONTHS = 'Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec';
const DAYS = 'Mon|Tue|Wed|Thu|Fri|Sat|Sun';
const RFC_DATE = new RegExp(
  `(?:(?:${DAYS})[a-z]*,?\\s+)?(?:\\d{1,2}\\s+(?:${MONTHS})[a-z]*|(?:${MONTHS})[a-z]*\\s+\\d{1,2})(?:,?\\s+\\d{4})?(?:\\s+\\d{1,2}:\\d{2}(?::\\d{2})?)?(?:\\s+\\d{4})?(?:\\s+[+-]\\d{4})?(?:\\s+\\(?[A-Z]{2,5}\\)?)?`,
  'g',
);
const ISO_DATE = /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?/g;
const CODES = /^\d{3}(?=[ -])|(?<![\w.])[245]\.\d{1,3}\.\d{1,3}(?![\w.]*\d)/g;
const WITH_DIGIT = /[^\s,;()[\]<>"']*\d[^\s,;()[\]<>"']*/g;
const MAX_LENGTH = 1000;

export function normalizeBounceText(text: string): string {
  const kept: string[] = [];
  const out = text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(ADDRESS, '*')
    .replace(ISO_DATE, '#xxx#')
    .replace(RFC_DATE, '#xxx#')
    .replace(CODES, (code) => `\u0000${kept.push(code) - 1}\u0000`)
    .replace(WITH_DIGIT, (token) => (token.includes('\u0000') ? token : '#xxx#'))
    .replace(/\u0000(\d+)\u0000/g, (_, i: string) => kept[Number(i)]!)
    .replace(/#xxx#(?:[\s,;:.\-/]*#xxx#)+/g, '#xxx#');
  return out.length > MAX_LENGTH ? out.slice(0, MAX_LENGTH) : out;
}
