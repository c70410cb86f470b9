import assert from 'node:assert/strict';
import { quotedPrintable } from '../../../server/delivery/mime/quoted-printable.js';
import { SegmentEncoder } from '../../../server/delivery/mime/segment-encoder.js';

/** A small deterministic generator (xorshift32), so a failure can be replayed by its seed. */
function random(seed: number): () => number {
  let x = seed || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** Whatever makes quoted-printable stateful: spaces, tabs, CR, LF, '=', non-ASCII, surrogate halves, long runs. */
const ALPHABET = ['a', 'b', ' ', ' ', '\t', '\r', '\n', '\r\n', '=', 'é', '€', '🎉', '\uD83C', '\uDF89', 'x'.repeat(40), 'word ', ' \n'];

function text(next: () => number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[Math.floor(next() * ALPHABET.length)];
  return out;
}

const CASES: Array<{ name: string; statics: string[]; segments: Array<number | string> }> = [
  { name: 'static only', statics: ['<p>hello</p>\n<p>world</p>\n'], segments: [0] },
  { name: 'a space before a static line break', statics: ['\nrest'], segments: ['value ', 0] },
  { name: 'a space at the end of a static piece, a space after it', statics: ['a '], segments: [0, ' b'] },
  { name: 'a CR ending a value, its LF in the static text', statics: ['\nnext line'], segments: ['line\r', 0] },
  { name: 'a static LF after a LF, then after a CR (one line break with it)', statics: ['\nX'], segments: ['b\n', 0, 'a\r', 0] },
  { name: 'a surrogate pair split between a value and the static text', statics: ['\uDF89 after'], segments: ['before \uD83C', 0] },
  {
    name: 'a static piece repeated at different columns',
    statics: [`${'y'.repeat(70)}\n${'z'.repeat(90)}`],
    segments: ['x', 0, 'xx', 0, 'x'.repeat(74), 0, 0],
  },
  { name: 'a trailing space at the very end', statics: ['end '], segments: [0] },
  { name: 'links resolved between pieces', statics: ['<a href="', '">go</a>\n'], segments: [0, -2, 1, 0, -3, 1] },
];

/** One message's part, copied out of the encoder's memory. */
const encode = (encoder: SegmentEncoder, segments: ReadonlyArray<number | string>, resolve: (s: number) => string, trim: boolean) => {
  encoder.begin();
  return Buffer.from(encoder.encode(segments, resolve, trim));
};
const resolve = (s: number) => (s === -2 ? 'https://t.example.com/r/abc?p1=x' : 'https://t.example.com/r/def ghi');
const joined = (statics: readonly string[], segments: ReadonlyArray<number | string>) =>
  segments.map((s) => (typeof s === 'string' ? s : s >= 0 ? statics[s]! : resolve(s))).join('');

describe('the segment encoder', () => {
  for (const c of CASES)
    it(`writes what quotedPrintable writes for the joined text: ${c.name}`, () => {
      const encoder = new SegmentEncoder(c.statics);
      for (let round = 0; round < 2; round++) {
        assert.equal(
          encode(encoder, c.segments, resolve, false).toString('latin1'),
          quotedPrintable(joined(c.statics, c.segments)).toString('latin1'),
          `round ${round + 1}`,
        );
      }
    });

  it('writes what quotedPrintable writes for random texts cut into random segments, reusing its kept encodings', () => {
    const next = random(20260301);
    const statics = Array.from({ length: 12 }, () => text(next, 1 + Math.floor(next() * 30)));
    const encoder = new SegmentEncoder(statics);
    for (let n = 0; n < 3000; n++) {
      const segments = Array.from({ length: 1 + Math.floor(next() * 10) }, () =>
        next() < 0.6 ? Math.floor(next() * statics.length) : text(next, Math.floor(next() * 6)),
      );
      const expected = quotedPrintable(joined(statics, segments));
      assert.equal(encode(encoder, segments, resolve, false).toString('latin1'), expected.toString('latin1'), `message ${n}: ${JSON.stringify(segments)}`);
      const trimmed = quotedPrintable(joined(statics, segments).replace(/[\r\n]+$/, ''));
      assert.equal(encode(encoder, segments, resolve, true).toString('latin1'), trimmed.toString('latin1'), `message ${n} without its final line breaks`);
    }
  });

  it('keeps the first part of a message intact while the second one outgrows its memory', () => {
    const statics = ['<p>first</p>\n', `${'é'.repeat(40_000)}\n`];
    const encoder = new SegmentEncoder(statics);
    encoder.begin();
    const text = encoder.encode([0, 'Ann'], resolve, false);
    const html = encoder.encode([1, 'Lee '], resolve, false);
    assert.equal(text.toString('latin1'), quotedPrintable(`${statics[0]}Ann`).toString('latin1'));
    assert.equal(html.toString('latin1'), quotedPrintable(`${statics[1]}Lee `).toString('latin1'));
  });

  it('keeps no encoding for a long line without a break, and still writes the same bytes', () => {
    const statics = [`${'long '.repeat(1000)}\nshort`];
    const encoder = new SegmentEncoder(statics);
    for (const value of ['', 'a', 'abc', 'a'.repeat(75)])
      assert.equal(encode(encoder, [value, 0], resolve, false).toString('latin1'), quotedPrintable(value + statics[0]).toString('latin1'));
  });
});
