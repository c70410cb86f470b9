/**
 * Quoted-printable body encoding (RFC 2045 §6.7) into a Buffer, lines ≤ 76 characters, CRLF line
 * ends. The output is also already in DKIM "relaxed" body form (RFC 6376 §3.4.4): tabs are always
 * encoded, a space is encoded when another space, a tab or the end of a line follows it, so no line
 * holds a run of whitespace or ends with one. Signing can then hash the body as it is.
 */

const HEX = Buffer.from('0123456789ABCDEF');
/** 1 = the byte must be written as =XX (controls, tab included, '=' and 8-bit bytes). */
const ENCODE = new Uint8Array(256);
for (let b = 0; b < 256; b++) ENCODE[b] = b < 32 || b > 126 || b === 61 ? 1 : 0;

const CR = 13;
const LF = 10;
const SPACE = 32;
const TAB = 9;
const MAX = 76;

export function quotedPrintable(text: string): Buffer {
  const input = Buffer.from(text, 'utf8');
  const n = input.length;
  const out = Buffer.allocUnsafe(n * 3 + Math.ceil(n / 24) * 3 + 4);
  let o = 0;
  let col = 0;
  for (let i = 0; i < n; i++) {
    const b = input[i]!;
    if (b === CR || b === LF) {
      if (b === CR && input[i + 1] === LF) i++;
      out[o++] = CR;
      out[o++] = LF;
      col = 0;
      continue;
    }
    let encode = ENCODE[b] === 1;
    if (b === SPACE) {
      const next = i + 1 < n ? input[i + 1]! : LF;
      encode = next === SPACE || next === TAB || next === CR || next === LF;
    }
    const width = encode ? 3 : 1;
    // Keep room for the '=' of a soft line break.
    if (col + width > MAX - 1) {
      out[o++] = 61;
      out[o++] = CR;
      out[o++] = LF;
      col = 0;
    }
    if (encode) {
      out[o++] = 61;
      out[o++] = HEX[b >> 4]!;
      out[o++] = HEX[b & 15]!;
    } else out[o++] = b;
    col += width;
  }
  return out.subarray(0, o);
}
