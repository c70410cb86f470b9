/**
 * Header lines: values cleaned (CR, LF, NUL and other controls can never reach a header: they
 * become spaces), folded under 78 characters, non-ASCII text as RFC 2047 encoded words (UTF-8, B).
 */

const CONTROLS = /[\u0000-\u001F\u007F\u2028\u2029]+/g;
const PLAIN = /^[\x20-\x7E]*$/;

/** One line of header text: controls replaced by a space, runs of spaces collapsed, trimmed. */
function cleanHeaderValue(value: string): string {
  return value.replace(CONTROLS, ' ').replace(/ {2,}/g, ' ').trim();
}

const ENCODED_WORD_BYTES = 39;

function encodedWords(value: string): string[] {
  const words: string[] = [];
  let chunk = '';
  let bytes = 0;
  for (const ch of value) {
    const size = Buffer.byteLength(ch);
    if (bytes + size > ENCODED_WORD_BYTES) {
      words.push(chunk);
      chunk = '';
      bytes = 0;
    }
    chunk += ch;
    bytes += size;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w).toString('base64')}?=`);
}

/** Needs encoded words: non-ASCII, something that looks like an encoded word, or an unfoldable run. */
function needsEncoding(value: string): boolean {
  return !PLAIN.test(value) || value.includes('=?') || /\S{72,}/.test(value);
}

function fold(name: string, words: readonly string[]): string {
  let out = `${name}:`;
  let lineLength = out.length;
  for (const word of words) {
    if (lineLength + 1 + word.length > 78 && lineLength > name.length + 1) {
      out += '\r\n';
      lineLength = 0;
    }
    out += ` ${word}`;
    lineLength += 1 + word.length;
  }
  return `${out}\r\n`;
}

/** `Name: value\r\n`, cleaned, folded and encoded as needed. `name` must be a valid header name. */
export function headerLine(name: string, value: string): string {
  const clean = cleanHeaderValue(value);
  return fold(name, needsEncoding(clean) ? encodedWords(clean) : clean.split(' '));
}

/** A header whose value is already structured and safe (addresses, ids, URLs): folded, not encoded. */
export function structuredHeaderLine(name: string, value: string): string {
  return fold(name, cleanHeaderValue(value).split(' '));
}

const ATOM_TEXT = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ ]*$/;

/** `Display Name <address>` with the name quoted or encoded; the address must be validated already. */
export function mailbox(displayName: string | null | undefined, address: string): string {
  const name = cleanHeaderValue(displayName ?? '');
  if (!name) return address;
  if (needsEncoding(name)) return `${encodedWords(name).join(' ')} <${address}>`;
  return ATOM_TEXT.test(name) ? `${name} <${address}>` : `"${name.replace(/[\\"]/g, '\\$&')}" <${address}>`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** RFC 5322 date in UTC, e.g. `Fri, 02 Jan 2026 03:04:05 +0000`. */
export function rfc5322Date(d: Date): string {
  return `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}
