import assert from 'node:assert/strict';
import { checkEncodingLabel, OFFERED_ENCODINGS, Utf8Checker } from '../../server/recipients/csv-encoding.js';

describe('UTF-8 check of import files', () => {
  const cases: Array<[string, number[][], boolean, number]> = [
    ['ASCII over two lines', [[0x61, 0x0a, 0x62]], true, 2],
    [
      'a two-byte character split across chunks',
      [
        [0x61, 0xc3],
        [0xa9, 0x0a],
      ],
      true,
      2,
    ],
    ['a four-byte character split three ways', [[0xf0, 0x9f], [0x98], [0x80]], true, 1],
    ['a Latin-1 é on line 3', [[0x61, 0x0a, 0x62, 0x0a, 0x5a, 0x6f, 0xe9, 0x0a]], false, 3],
    ['a Windows-1252 € (0x80)', [[0x80]], false, 1],
    ['an overlong encoding of "/"', [[0xc0, 0xaf]], false, 1],
    ['a surrogate (ED A0 80)', [[0xed, 0xa0, 0x80]], false, 1],
    ['above U+10FFFF (F4 90 80 80)', [[0xf4, 0x90, 0x80, 0x80]], false, 1],
  ];
  for (const [what, chunks, valid, line] of cases)
    it(`${valid ? 'accepts' : 'refuses'} ${what}${valid ? '' : `, at line ${line}`}`, () => {
      const checker = new Utf8Checker();
      const ok = chunks.every((c) => checker.push(Buffer.from(c))) && checker.end();
      assert.equal(ok, valid);
      assert.equal(checker.line, line);
    });

  it('refuses a file that ends in the middle of a character', () => {
    const checker = new Utf8Checker();
    assert.equal(checker.push(Buffer.from([0x61, 0xe2, 0x82])), true);
    assert.equal(checker.end(), false);
  });

  it('knows every encoding the console offers, and Latin-1 is read as Windows-1252 (as browsers do)', () => {
    for (const e of OFFERED_ENCODINGS) assert.equal(checkEncodingLabel(e), e);
    assert.equal(checkEncodingLabel('latin1'), 'windows-1252');
    assert.equal(checkEncodingLabel(' ISO-8859-1 '), 'windows-1252');
  });
});
