import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { APP_ROOT } from '../../../server/shared/app-root.js';
import { LANGUAGES } from '../../../server/shared/glossary.js';
import { catalogueProblems } from '../../../server/web/i18n/catalogue-check.js';
import { EN } from '../../../server/web/i18n/en.js';
import { CATALOGUES, registeredLanguages } from '../../../server/web/i18n/translate.js';

const I18N = join(APP_ROOT, 'server', 'web', 'i18n');

/** The translation file of an English catalogue file: en.ts → core.ts, en-home.ts → home.ts, forms-en.ts → forms.ts. */
const translationFile = (english: string) => (english === 'en.ts' ? 'core.ts' : english === 'forms-en.ts' ? 'forms.ts' : english.replace(/^en-/, ''));
const englishFiles = readdirSync(I18N).filter((f) => /^(en(-[a-z-]+)?|forms-en)\.ts$/.test(f));

describe('message catalogues of every language', () => {
  it('registers English and only languages Herald knows', () => {
    assert.equal(registeredLanguages()[0], 'en');
    for (const language of registeredLanguages()) assert.ok((LANGUAGES as readonly string[]).includes(language), language);
  });

  for (const language of registeredLanguages().filter((l) => l !== 'en')) {
    it(`gives ${language} exactly English's keys, each with a text and English's placeholders`, () => {
      assert.deepEqual(catalogueProblems(EN, CATALOGUES[language]!), []);
    });

    it(`keeps ${language} in server/web/i18n/${language}/ with one file per English file and an index`, () => {
      const dir = join(I18N, language);
      const missing = [...englishFiles.map(translationFile), 'index.ts'].filter((f) => !existsSync(join(dir, f)));
      assert.deepEqual(missing, []);
    });
  }

  const english = { 'a.plain': 'Save', 'a.count': '{count} messages to {domain}', 'a.twice': '{n} of {n}' };
  const cases: Array<[string, Record<string, string>, string[]]> = [
    ['a complete translation', { 'a.plain': 'Guardar', 'a.count': '{count} mensajes a {domain}', 'a.twice': '{n} de {n}' }, []],
    ['placeholders in another order', { 'a.plain': 'Guardar', 'a.count': 'A {domain}: {count} mensajes', 'a.twice': '{n}' }, []],
    ['a missing key', { 'a.plain': 'Guardar', 'a.twice': '{n} de {n}' }, ['missing a.count']],
    ['an extra key', { ...{ 'a.plain': 'Guardar', 'a.count': '{count} a {domain}', 'a.twice': '{n}' }, 'a.old': 'Viejo' }, ['extra a.old']],
    ['an empty text', { 'a.plain': ' ', 'a.count': '{count} a {domain}', 'a.twice': '{n}' }, ['empty a.plain']],
    [
      'a lost and a foreign placeholder',
      { 'a.plain': 'Guardar {x}', 'a.count': '{count} mensajes', 'a.twice': '{n}' },
      ['placeholders of a.plain: {x} instead of {}', 'placeholders of a.count: {count} instead of {count, domain}'],
    ],
  ];
  for (const [what, translation, problems] of cases)
    it(`reports ${what}`, () => {
      assert.deepEqual(catalogueProblems(english, translation), problems);
    });
});
