import assert from 'node:assert/strict';
import { renderSource } from '../../../server/delivery/source/render-source.js';
import { textFromHtml } from '../../../server/delivery/source/text-part.js';

const CONTENT = { fromName: null, fromAddress: 'news@example.com', replyTo: null, trackingEnabled: true, openTracking: true, subject: 's', headers: {} };

describe('text part generated from the HTML', () => {
  const cases: Array<[string, string, string]> = [
    ['keeps headings and paragraphs as lines', '<h1>Spring news</h1><p>Hello there.</p>', 'Spring news\n\nHello there.\n'],
    [
      'writes a link as its text and URL, Eta tags untouched',
      '<p><a href="<%= links.unsubscribe %>">Unsubscribe</a></p>',
      'Unsubscribe <<%= links.unsubscribe %>>\n',
    ],
    [
      'leaves the hidden preheader, styles and images out',
      '<style>p{}</style><div style="display:none">Preview</div><p>Body <img src="x.png" alt="x"></p>',
      'Body\n',
    ],
    ['keeps personalization in the text', '<p>Hi <%= recipient.firstName %>,</p>', 'Hi <%= recipient.firstName %>,\n'],
  ];
  for (const [title, html, text] of cases) it(title, () => assert.equal(textFromHtml(html), text));

  it('is generated when the text part is left empty, and kept when written', async () => {
    const base = { ...CONTENT, format: 'html' as const, html: '<p>Hello</p>' };
    const generated = await renderSource({ ...base, text: '  ' }, new Map());
    assert.equal(generated.content.text, 'Hello\n');
    assert.deepEqual(
      generated.issues.map((i) => i.rule),
      ['text.generated'],
    );
    const written = await renderSource({ ...base, text: 'Mine' }, new Map());
    assert.equal(written.content.text, 'Mine');
    assert.deepEqual(written.issues, []);
  });

  it('is not generated from a content that did not compile', async () => {
    const out = await renderSource({ ...CONTENT, format: 'mjml', html: '<mjml><mj-body><mj-nope/></mj-body></mjml>', text: null }, new Map());
    assert.equal(out.content.text, null);
    assert.equal(out.content.html, '');
    assert.ok(out.issues.some((i) => i.rule === 'mjml.invalid'));
  });
});
