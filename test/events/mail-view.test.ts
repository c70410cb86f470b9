import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAIL_CATALOGUES } from '../../server/events/mail-texts/index.js';
import { mailView, type MailViewInput } from '../../server/events/mail-view.js';
import { applyOverrides } from '../../server/web/i18n/site-overrides.js';
import { CATALOGUES } from '../../server/web/i18n/translate.js';
import { SHIPPED_VIEWS } from '../../server/shared/site-views.js';

const base = {
  language: 'es',
  catalogues: MAIL_CATALOGUES,
  webUrl: 'https://news.example',
  values: { services: '<%= event.services %>', hours: '<%= event.hours %>' },
};

describe('system mail content in a language', () => {
  const cases: Array<[string, Omit<MailViewInput, keyof typeof base> & Partial<MailViewInput>, string]> = [
    [
      'fills a marker with the language’s text and its placeholders with template output',
      { source: '{{t mail.confirm.asked}}', part: 'text' },
      'Ha solicitado recibir: <%= event.services %>.',
    ],
    [
      'escapes the text of the HTML part',
      { source: '<p>{{t mail.confirm.asked}}</p>', part: 'html', catalogues: { en: { 'mail.confirm.asked': 'A & B <{services}>' } } },
      '<p>A &amp; B &lt;<%= event.services %>&gt;</p>',
    ],
    [
      'writes template code found in a text out literally',
      { source: '{{t mail.confirm.subject}}', part: 'subject', catalogues: { en: { 'mail.confirm.subject': 'Hi <%= recipient.email %>' } } },
      'Hi <%= "<" %>%= recipient.email %>',
    ],
    [
      'keeps a subject on one line',
      { source: '{{t mail.confirm.subject}}', part: 'subject', catalogues: { en: { 'mail.confirm.subject': 'one\ntwo' } } },
      'one two',
    ],
    ['falls back to English for a language without the text', { source: '{{t mail.confirm.button}}', part: 'html', language: 'it' }, 'Confirm my subscription'],
    [
      'fills the language and the public address',
      { source: '<html lang="{{lang}}"><a href="{{webUrl}}/confirm">', part: 'html', language: 'de' },
      '<html lang="de"><a href="https://news.example/confirm">',
    ],
  ];
  for (const [title, input, expected] of cases) it(title, () => assert.equal(mailView({ ...base, ...input }), expected));

  it('uses the site’s wording from <dataDir>/messages/<lang>.toml', () => {
    const es = applyOverrides('es.toml', 'es', { 'mail.confirm.asked': 'Quiere recibir {services}.' }, CATALOGUES);
    assert.equal(
      mailView({ ...base, source: '{{t mail.confirm.asked}}', part: 'text', catalogues: { ...CATALOGUES, es } }),
      'Quiere recibir <%= event.services %>.',
    );
    assert.throws(
      () => applyOverrides('es.toml', 'es', { 'mail.confirm.subject': 'Alta en {services}' }, CATALOGUES),
      /mail\.confirm\.subject: uses \{services\}/,
    );
  });

  it('leaves no marker unfilled in the shipped confirmation, in any language', () => {
    for (const language of Object.keys(CATALOGUES))
      for (const [file, part] of [
        ['subject.txt', 'subject'],
        ['body.html', 'html'],
        ['body.txt', 'text'],
      ] as const) {
        const out = mailView({
          ...base,
          language,
          catalogues: CATALOGUES,
          source: readFileSync(join(SHIPPED_VIEWS, 'mail/subscription-confirm', file), 'utf8'),
          part,
        });
        assert.doesNotMatch(out, /\{\{|\{\w+\}|mail\.confirm\./, `${language} ${file}`);
      }
  });
});
