import assert from 'node:assert/strict';
import { EN as CATALOGUE } from '../../server/web/i18n/en.js';
import { CATALOGUES, translator } from '../../server/web/i18n/translate.js';

const EN: Record<string, string> = CATALOGUE;
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const languages = Object.keys(CATALOGUES).filter((lang) => lang !== 'en');

/** Typography each language follows throughout, as [rule, pattern a value must not match]. */
const TYPOGRAPHY: Record<string, Array<[string, RegExp]>> = {
  fr: [
    ['a non-breaking space before : ; ? ! and %', / [:;?!%](?!>)/],
    ['a non-breaking space inside « »', /«(?!\u00a0)|(?<!\u00a0)»/],
    ['French quotes, not English ones', /[“”]/],
  ],
  es: [
    ['an opening ¿ before every question', /^[^¿]*\?/],
    ['Spanish quotes «…», not English ones', /[“”]/],
    ['a non-breaking space between a number and %', /\d ?%(?!>)/],
  ],
  de: [
    ['no space before : ; ? !', /[ \u00a0][:;?!]/],
    ['a non-breaking space before %', / %(?!>)/],
    ['German quotes „…“, not English ones', /”/],
  ],
};

describe('translated console catalogues', () => {
  it('offers Spanish, French and German beside English', () => {
    for (const lang of ['es', 'fr', 'de']) assert.ok(languages.includes(lang), lang);
  });

  for (const lang of languages) {
    const catalogue = CATALOGUES[lang]!;

    it(`has every English key in ${lang}, and no other`, () => {
      assert.deepEqual(
        Object.keys(EN).filter((key) => !(key in catalogue)),
        [],
      );
      assert.deepEqual(
        Object.keys(catalogue).filter((key) => !(key in EN)),
        [],
      );
    });

    it(`keeps the placeholders of every English text in ${lang}`, () => {
      const differ = Object.keys(EN).filter((key) => key in catalogue && placeholders(EN[key]!).join() !== placeholders(catalogue[key]!).join());
      assert.deepEqual(differ, []);
    });

    it(`leaves no ${lang} text empty where the English one has words`, () => {
      assert.deepEqual(
        Object.keys(EN).filter((key) => EN[key] !== '' && !catalogue[key]?.trim()),
        [],
      );
    });

    it(`follows one typography throughout ${lang}`, () => {
      const broken = (TYPOGRAPHY[lang] ?? []).flatMap(([rule, pattern]) =>
        Object.entries(catalogue)
          .filter(([, text]) => pattern.test(text))
          .map(([key, text]) => `${rule}: ${key} = ${text}`),
      );
      assert.deepEqual(broken, []);
    });
  }

  it('fills placeholders in the language asked for', () => {
    const cases: Array<[string, string, Record<string, string | number>, string]> = [
      ['fr', 'login.throttled', { minutes: 3 }, 'Trop de tentatives infructueuses. Réessayez dans 3 min.'],
      ['fr', 'audit.sentence.list_member_added', { operator: 'ann', target: 'bob@example.com', list: 'vip' }, 'ann a ajouté bob@example.com à la liste vip'],
      ['fr', 'home.trend', { figure: 'Envoyés', from: '2026-11-08', to: '2026-12-07' }, 'Envoyés par jour du 2026-11-08 au 2026-12-07'],
      ['es', 'login.throttled', { minutes: 3 }, 'Demasiados intentos fallidos. Vuelva a intentarlo dentro de 3 min.'],
      ['es', 'audit.sentence.list_member_added', { operator: 'ann', target: 'bob@example.com', list: 'vip' }, 'ann añadió bob@example.com a la lista vip'],
      ['de', 'login.throttled', { minutes: 3 }, 'Zu viele fehlgeschlagene Versuche. Versuchen Sie es in 3 Min. erneut.'],
      [
        'de',
        'audit.sentence.list_member_added',
        { operator: 'ann', target: 'bob@example.com', list: 'vip' },
        'ann hat bob@example.com zur Liste vip hinzugefügt',
      ],
    ];
    for (const [lang, key, params, expected] of cases) assert.equal(translator(lang)(key, params), expected, `${lang} ${key}`);
  });
});
