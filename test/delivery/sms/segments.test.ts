import assert from 'node:assert/strict';
import { decodeGsm7, encodeGsm7, isGsm7 } from '../../../server/delivery/sms/gsm7.js';
import { smsLayout, smsSegments } from '../../../server/delivery/sms/segments.js';

describe('SMS encodings and segments', () => {
  const layouts: Array<[what: string, text: string, encoding: 'gsm7' | 'ucs2', units: number, segments: number]> = [
    ['an empty text', '', 'gsm7', 0, 0],
    ['a short Latin text', 'Hello Ann', 'gsm7', 9, 1],
    ['160 GSM characters', 'a'.repeat(160), 'gsm7', 160, 1],
    ['161 GSM characters', 'a'.repeat(161), 'gsm7', 161, 2],
    ['306 GSM characters (two full parts)', 'a'.repeat(306), 'gsm7', 306, 2],
    ['307 GSM characters', 'a'.repeat(307), 'gsm7', 307, 3],
    ['accents of the GSM alphabet (é è à ü Ñ)', 'éèàüÑ', 'gsm7', 5, 1],
    ['extension characters counting two septets (€ [ ] { } ~ ^ | \\)', '€[]{}~^|\\', 'gsm7', 18, 1],
    ['80 euro signs (160 septets)', '€'.repeat(80), 'gsm7', 160, 1],
    ['81 euro signs (162 septets)', '€'.repeat(81), 'gsm7', 162, 2],
    ['an ë (not in GSM 03.38)', 'Zoë', 'ucs2', 3, 1],
    ['70 Cyrillic characters', 'д'.repeat(70), 'ucs2', 70, 1],
    ['71 Cyrillic characters', 'д'.repeat(71), 'ucs2', 71, 2],
    ['35 emoji (two UTF-16 units each)', '😀'.repeat(35), 'ucs2', 70, 1],
    ['34 emoji after one letter: no pair split across segments', `a${'😀'.repeat(34)}`, 'ucs2', 69, 1],
  ];
  for (const [what, text, encoding, units, segments] of layouts)
    it(`lays out ${what} as ${segments} ${encoding} segment(s)`, () => {
      const layout = smsLayout(text);
      assert.deepEqual([layout.encoding, layout.units, layout.segments], [encoding, units, segments]);
      if (segments > 0) assert.equal(smsSegments(text, 1).length, segments);
    });

  it('never splits an escape sequence nor a surrogate pair between two segments', () => {
    const gsm = smsSegments(`${'a'.repeat(152)}€${'b'.repeat(10)}`, 9);
    assert.deepEqual(
      gsm.map((s) => decodeGsm7(s.payload.subarray(6))),
      ['a'.repeat(152), `€${'b'.repeat(10)}`],
    );
    const ucs2 = smsSegments(`${'a'.repeat(66)}😀b${'c'.repeat(10)}`, 9);
    const texts = ucs2.map((s) => Buffer.from(s.payload.subarray(6)).swap16().toString('utf16le'));
    assert.deepEqual(texts, ['a'.repeat(66), `😀b${'c'.repeat(10)}`]);
  });

  it('encodes with data_coding, esm_class and a User Data Header per segment', () => {
    const [single] = smsSegments('Hi {x}', 0);
    assert.deepEqual([single!.dataCoding, single!.esmClass, [...single!.payload]], [0, 0, [0x48, 0x69, 0x20, 0x1b, 0x28, 0x78, 0x1b, 0x29]]);
    const parts = smsSegments('д'.repeat(100), 300);
    assert.deepEqual(
      parts.map((p) => [p.dataCoding, p.esmClass, [...p.payload.subarray(0, 6)], p.payload.length]),
      [
        [8, 0x40, [5, 0, 3, 44, 2, 1], 6 + 67 * 2],
        [8, 0x40, [5, 0, 3, 44, 2, 2], 6 + 33 * 2],
      ],
    );
  });

  it('reads back what it writes in GSM-7 and knows which characters it has', () => {
    const text = '@£$¥èéùìòÇ\nØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCZÄÖÑÜ§¿abczäöñüà€^{}[]~|\\';
    assert.equal(isGsm7(text), true);
    assert.equal(decodeGsm7(encodeGsm7(text)), text);
    assert.deepEqual(['ë', 'ç', '`', 'œ', 'д'].map(isGsm7), [false, false, false, false, false]);
  });
});
