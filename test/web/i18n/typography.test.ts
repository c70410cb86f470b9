import assert from 'node:assert/strict';
import { CATALOGUES, translator } from '../../../server/web/i18n/translate.js';

/** Typography each translation follows throughout, as [rule, pattern no text may match]. */
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

describe('typography and sentences of the translations', () => {
  for (const [lang, rules] of Object.entries(TYPOGRAPHY))
    it(`follows one typography throughout ${lang}`, () => {
      const broken = rules.flatMap(([rule, pattern]) =>
        Object.entries(CATALOGUES[lang] ?? {})
          .filter(([, text]) => pattern.test(text))
          .map(([key, text]) => `${rule}: ${key} = ${text}`),
      );
      assert.deepEqual(broken, []);
    });

  it('builds sentences from parts in the language asked for', () => {
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
