import { QP_CLASS, QP_HEX, QP_MAX } from './quoted-printable.js';

/**
 * Quoted-printable encoding of a part given as segments (the template's static text by number,
 * personalized strings), byte for byte what quotedPrintable() gives for the joined text, without
 * joining it and without encoding the static text again for every message.
 *
 * The encoder's state between two bytes is small: the column, whether the last byte was a CR (a
 * following LF belongs to the same line break) and whether a space waits for the next byte (a space
 * is encoded when whitespace, a line break or the end follows it). So a static piece is split once
 * after its first line break: its head depends on the column it starts at (encoded once per
 * starting state and kept), the rest always starts a line and is encoded once per delivery.
 */

/** How to read a segment that is not static text (a tracked link's or the pixel's URL). */
export type SegmentResolver = (segment: number) => string;

interface EncodedRun {
  bytes: Buffer;
  col: number;
  cr: boolean;
  space: boolean;
}

interface StaticPiece {
  bytes: Buffer;
  /** Where the part that always starts a line begins (bytes.length when there is none). */
  split: number;
  /** The encoding of bytes[split..]; computed on first use. */
  rest: EncodedRun | undefined;
  /** Head encodings by starting state (column × 2 + CR pending), when the head is short enough to keep. */
  heads: Array<EncodedRun | undefined> | undefined;
  /** Pieces whose UTF-16 edges could pair with a neighbour (a lone surrogate) are encoded with the strings around them. */
  inline: boolean;
}

const CR = 13;
const LF = 10;
const SPACE = 32;
const TAB = 9;
/** Heads longer than this (a long line holding no break) are encoded per message rather than kept for every column. */
const MAX_KEPT_HEAD = 2048;
const HIGH_SURROGATE_END = /[\uD800-\uDBFF]$/;
const LOW_SURROGATE_START = /^[\uDC00-\uDFFF]/;

function firstBreakEnd(bytes: Buffer): number {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === LF) return i + 1;
    if (b === CR) return i + 1 < bytes.length && bytes[i + 1] === LF ? i + 2 : i + 1;
  }
  return bytes.length;
}

export class SegmentEncoder {
  private readonly pieces: StaticPiece[];
  private out = Buffer.allocUnsafe(64 * 1024);
  private source = Buffer.allocUnsafe(4 * 1024);
  private o = 0;
  private col = 0;
  private cr = false;
  private space = false;

  constructor(private readonly statics: readonly string[]) {
    this.pieces = statics.map((text) => {
      const bytes = Buffer.from(text, 'utf8');
      const split = firstBreakEnd(bytes);
      return {
        bytes,
        split,
        rest: undefined,
        heads: split <= MAX_KEPT_HEAD ? [] : undefined,
        inline: HIGH_SURROGATE_END.test(text) || LOW_SURROGATE_START.test(text),
      };
    });
  }

  /** Starts a message: the views encode() returned before are not to be read any more. */
  begin(): void {
    this.o = 0;
  }

  /**
   * The encoded part, as a view into the encoder's own memory that stays valid until begin() (the
   * parts of one message are encoded one after the other, then copied once into the message).
   * `trimBreaks` drops the line breaks that end it (a single-part message, see mimeBody).
   */
  encode(segments: readonly (number | string)[], resolve: SegmentResolver, trimBreaks: boolean): Buffer {
    const first = this.o;
    this.col = 0;
    this.cr = false;
    this.space = false;
    let pending = '';
    for (const s of segments) {
      if (typeof s === 'string') pending += s;
      else if (s < 0) pending += resolve(s);
      else if (this.pieces[s]!.inline) pending += this.statics[s]!;
      else {
        if (pending) this.text(pending);
        pending = '';
        this.piece(this.pieces[s]!);
      }
    }
    if (pending) this.text(pending);
    this.room(8);
    if (this.space) this.emit(SPACE, true);
    let end = this.o;
    if (trimBreaks) while (end - first >= 2 && this.out[end - 1] === LF && this.out[end - 2] === CR) end -= 2;
    this.o = end;
    return this.out.subarray(first, end);
  }

  private room(bytes: number): void {
    if (this.o + bytes <= this.out.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.out.length * 2, this.o + bytes));
    this.out.copy(bigger, 0, 0, this.o);
    this.out = bigger;
  }

  private text(value: string): void {
    if (this.source.length < value.length * 3) this.source = Buffer.allocUnsafe(value.length * 3);
    const n = this.source.write(value, 'utf8');
    this.feed(this.source, 0, n);
  }

  private piece(p: StaticPiece): void {
    if (p.bytes.length === 0) return;
    if (this.space) {
      const next = p.bytes[0]!;
      this.room(8);
      this.emit(SPACE, next === SPACE || next === TAB || next === CR || next === LF);
      this.space = false;
    }
    if (p.split > 0) {
      const key = this.col * 2 + (this.cr ? 1 : 0);
      const kept = p.heads?.[key];
      if (kept) this.copy(kept);
      else {
        const start = this.o;
        this.feed(p.bytes, 0, p.split);
        if (p.heads) p.heads[key] = { bytes: Buffer.from(this.out.subarray(start, this.o)), col: this.col, cr: this.cr, space: this.space };
      }
    }
    if (p.split === p.bytes.length) return;
    if (!p.rest) {
      // The rest starts a line: after a line break nothing of the state before matters.
      const start = this.o;
      this.col = 0;
      this.cr = false;
      this.space = false;
      this.feed(p.bytes, p.split, p.bytes.length);
      p.rest = { bytes: Buffer.from(this.out.subarray(start, this.o)), col: this.col, cr: this.cr, space: this.space };
    } else this.copy(p.rest);
  }

  private copy(run: EncodedRun): void {
    this.room(run.bytes.length);
    this.o += run.bytes.copy(this.out, this.o);
    this.col = run.col;
    this.cr = run.cr;
    this.space = run.space;
  }

  /** Writes one byte, plain or as =XX, after a soft line break when the line would grow too long. */
  private emit(b: number, encoded: boolean): void {
    const out = this.out;
    const width = encoded ? 3 : 1;
    if (this.col + width > QP_MAX - 1) {
      out[this.o++] = 61;
      out[this.o++] = CR;
      out[this.o++] = LF;
      this.col = 0;
    }
    if (encoded) {
      out[this.o++] = 61;
      out[this.o++] = QP_HEX[b >> 4]!;
      out[this.o++] = QP_HEX[b & 15]!;
    } else out[this.o++] = b;
    this.col += width;
  }

  private feed(input: Buffer, from: number, to: number): void {
    this.room((to - from) * 6 + 8);
    for (let i = from; i < to; i++) {
      const b = input[i]!;
      if (this.space) {
        this.emit(SPACE, b === SPACE || b === TAB || b === CR || b === LF);
        this.space = false;
      }
      if (this.cr) {
        this.cr = false;
        if (b === LF) continue;
      }
      const kind = QP_CLASS[b]!;
      if (kind === 2) {
        this.out[this.o++] = CR;
        this.out[this.o++] = LF;
        this.col = 0;
        this.cr = b === CR;
      } else if (kind === 3) this.space = true;
      else this.emit(b, kind === 1);
    }
  }
}
