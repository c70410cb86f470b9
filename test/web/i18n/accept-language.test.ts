import assert from 'node:assert/strict';
import { negotiateLanguage } from '../../../server/web/i18n/accept-language.js';

describe('choosing a page language from Accept-Language', () => {
  const available = ['en', 'es', 'fr', 'de'];
  const cases: Array<[string | undefined, string | undefined]> = [
    [undefined, undefined],
    ['', undefined],
    ['es', 'es'],
    ['es-MX,es;q=0.9,en;q=0.8', 'es'],
    ['de-CH', 'de'],
    ['FR-ca', 'fr'],
    ['en;q=0.5, fr;q=0.9', 'fr'],
    ['de;q=0.7, es;q=0.7', 'de'],
    ['it, pt-BR;q=0.9, de;q=0.3', 'de'],
    ['it, pt', undefined],
    ['fr;q=0, es;q=0.1', 'es'],
    ['*', 'en'],
    ['en;q=0, *;q=0.5', 'es'],
    ['es;q=abc, fr', 'fr'],
    ['es;q=2, de;q=0.1', 'de'],
    ['<script>, de', 'de'],
    [',,;;, es ;q=0.4', 'es'],
  ];
  for (const [header, expected] of cases)
    it(`answers ${JSON.stringify(header)} in ${expected ?? 'the default'}`, () => {
      assert.equal(negotiateLanguage(header, available), expected);
    });

  it('answers only in registered languages', () => {
    assert.equal(negotiateLanguage('es-MX,es;q=0.9,en;q=0.8', ['en']), 'en');
    assert.equal(negotiateLanguage('es-MX,de;q=0.9', ['en']), undefined);
  });

  it('reads a bounded header', () => {
    assert.equal(negotiateLanguage(`${'xx;q=0.1,'.repeat(10_000)}es`, available), undefined);
  });
});
