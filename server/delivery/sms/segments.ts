import { encodeGsm7, isGsm7, septetsOf } from './gsm7.js';

/**
 * How an SMS text goes out: in GSM-7 when every character has a GSM-7 form, else in UCS-2
 * (UTF-16). One segment carries 160 GSM-7 septets or 70 UCS-2 units; a longer text is split into
 * concatenated segments, each starting with a 6-octet User Data Header (IEI 0x00: 8-bit reference,
 * total, sequence), which leaves 153 septets or 67 units per segment. A segment never ends inside
 * an extension character's escape nor inside a surrogate pair. Operators bill per segment: the
 * preview shows the count and the cost. Pure.
 */

export type SmsEncoding = 'gsm7' | 'ucs2';

/** SMPP data_coding of each encoding: SMSC default alphabet (GSM-7, unpacked) or UCS-2. */
export const DATA_CODING: Record<SmsEncoding, number> = { gsm7: 0x00, ucs2: 0x08 };

/** SMPP esm_class bit telling that short_message starts with a User Data Header. */
export const ESM_UDHI = 0x40;

const SINGLE = { gsm7: 160, ucs2: 70 } as const;
const PART = { gsm7: 153, ucs2: 67 } as const;
/** Concatenated messages count at most 255 segments (one octet). */
export const MAX_SEGMENTS = 255;

export interface SmsLayout {
  encoding: SmsEncoding;
  /** Characters as the reader counts them (code points). */
  characters: number;
  /** Septets (GSM-7) or UTF-16 units (UCS-2) the text takes. */
  units: number;
  segments: number;
  /** Units a segment can carry in this layout (160/153 or 70/67). */
  perSegment: number;
}

const unitsOf = (char: string, encoding: SmsEncoding) => (encoding === 'gsm7' ? septetsOf(char) : char.length);

/** The encoding, length and segment count of a text. */
export function smsLayout(text: string): SmsLayout {
  const encoding: SmsEncoding = isGsm7(text) ? 'gsm7' : 'ucs2';
  const chars = [...text];
  const units = chars.reduce((n, c) => n + unitsOf(c, encoding), 0);
  if (units <= SINGLE[encoding]) return { encoding, characters: chars.length, units, segments: units === 0 ? 0 : 1, perSegment: SINGLE[encoding] };
  return { encoding, characters: chars.length, units, segments: splitText(chars, encoding).length, perSegment: PART[encoding] };
}

/** Splits characters into segment texts of at most PART units, never inside a character. */
function splitText(chars: readonly string[], encoding: SmsEncoding): string[] {
  const parts: string[] = [];
  let current = '';
  let used = 0;
  for (const c of chars) {
    const n = unitsOf(c, encoding);
    if (used + n > PART[encoding]) {
      parts.push(current);
      current = '';
      used = 0;
    }
    current += c;
    used += n;
  }
  if (current) parts.push(current);
  return parts;
}

export interface SmsSegment {
  /** short_message: the UDH (concatenated messages only), then the encoded text. */
  payload: Buffer;
  dataCoding: number;
  esmClass: number;
}

const encode = (text: string, encoding: SmsEncoding): Buffer => (encoding === 'gsm7' ? encodeGsm7(text) : Buffer.from(text, 'utf16le').swap16());

/**
 * The segments of a text, ready for submit_sm. `reference` (0–255) ties the segments of one
 * message together on the handset; give each multi-segment message its own.
 */
export function smsSegments(text: string, reference: number): SmsSegment[] {
  const layout = smsLayout(text);
  const dataCoding = DATA_CODING[layout.encoding];
  if (layout.segments <= 1) return [{ payload: encode(text, layout.encoding), dataCoding, esmClass: 0 }];
  const parts = splitText([...text], layout.encoding);
  if (parts.length > MAX_SEGMENTS) throw new RangeError(`the text needs ${parts.length} segments; at most ${MAX_SEGMENTS} can be concatenated`);
  return parts.map((part, i) => ({
    payload: Buffer.concat([Buffer.from([0x05, 0x00, 0x03, reference & 0xff, parts.length, i + 1]), encode(part, layout.encoding)]),
    dataCoding,
    esmClass: ESM_UDHI,
  }));
}
