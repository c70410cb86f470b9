/**
 * Quoted-printable body encoding (RFC 2045 §6.7) into a Buffer, lines ≤ 76 characters, CRLF line
 * ends. The output is also already in DKIM "relaxed" body form (RFC 6376 §3.4.4): tabs are always
 * encoded, a space is encoded when another space, a tab or the end of a line follows it, so no line
 * holds a run of whitespace or ends with one. Signing can then hash the body as it is.
 */

const HEX = Buffer.from('0123456789ABCDEF');
/** 0 = copy, 1 = write as =XX (controls, tab included, '=' and 8-bit bytes), 2 = line break, 3 = space. */
const CLASS = new Uint8Array(256);
for (let b = 0; b < 256; b++) CLASS[b] = b === 10 || b === 13 ? 2 : b === 32 ? 3 : b < 32 || b > 126 || b === 61 ? 1 : 0;

const CR = 13;
const LF = 10;
const MAX = 76;
/** Shared with the segment encoder, which must write exactly the same bytes. */
export { CLASS as QP_CLASS, HEX as QP_HEX, MAX as QP_MAX };

/** Reused between calls (encoding is synchronous): only the result is allocated per message. */
let source = Buffer.allocUnsafe(32 * 1024);
let scratch = Buffer.allocUnsafe(128 * 1024);

export function quotedPrintable(text: string): Buffer {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (source.length < bytes) source = Buffer.allocUnsafe(bytes);
  const n = source.write(text, 'utf8');
  const input = source;
  const worst = n * 3 + Math.ceil(n / 24) * 3 + 4;
  if (scratch.length < worst) scratch = Buffer.allocUnsafe(worst);
  const out = scratch;
  let o = 0;
  let col = 0;
  for (let i = 0; i < n; i++) {
    const b = input[i]!;
    let kind = CLASS[b]!;
    if (kind === 2) {
      if (b === CR && i + 1 < n && input[i + 1] === LF) i++;
      out[o++] = CR;
      out[o++] = LF;
      col = 0;
      continue;
    }
    if (kind === 3) {
      const next = i + 1 < n ? input[i + 1]! : LF;
      kind = next === 32 || next === 9 || next === CR || next === LF ? 1 : 0;
    }
    const width = kind === 1 ? 3 : 1;
    if (col + width > MAX - 1) {
      // soft line break: keep room for the '='
      out[o++] = 61;
      out[o++] = CR;
      out[o++] = LF;
      col = 0;
    }
    if (kind === 1) {
      out[o++] = 61;
      out[o++] = HEX[b >> 4]!;
      out[o++] = HEX[b & 15]!;
    } else out[o++] = b;
    col += width;
  }
  return Buffer.from(out.subarray(0, o));
}
