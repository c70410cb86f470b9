import assert from 'node:assert/strict';
import { expandBlocks, type ContentBlock } from '../../../server/delivery/source/blocks.js';
import { compact, compileMjml } from '../../../server/delivery/source/mjml-compile.js';

const blocks = new Map<string, ContentBlock>([
  [
    'footer',
    {
      name: 'footer',
      label: 'Footer',
      format: 'mjml',
      source: '<mj-section>\n<mj-column>\n<mj-text>Bye</mj-text>\n<mj-bogus></mj-bogus>\n</mj-column>\n</mj-section>',
    },
  ],
]);

const compile = (source: string) => compileMjml(expandBlocks(source, 'mjml', blocks));
const page = (body: string) => `<mjml>\n<mj-body>\n${body}\n</mj-body>\n</mjml>`;

describe('MJML compilation', () => {
  it('compiles MJML into responsive HTML and keeps the Eta tags exactly as written', async () => {
    const out = await compile(
      page(
        '<mj-section><mj-column><mj-text>Hi <%= recipient.firstName %> & co</mj-text><mj-button href="https://example.com/?id=<%= recipient.id %>">Go</mj-button></mj-column></mj-section>',
      ),
    );
    assert.deepEqual(out.issues, []);
    assert.match(out.html, /<!doctype html>/i);
    assert.match(out.html, /@media only screen and \(min-width:480px\)/);
    assert.ok(out.html.includes('Hi <%= recipient.firstName %>'));
    assert.doesNotMatch(out.html, /fonts\.googleapis\.com/, 'no third-party font');
    assert.ok(out.html.includes('href="https://example.com/?id=<%= recipient.id %>"'));
  });

  it('drops the indentation and empty lines MJML writes, except around preformatted text', () => {
    assert.equal(compact('<div>\n    <p>\n\n   a  b</p>\n  </div>'), '<div>\n<p>\na  b</p>\n</div>');
    assert.equal(compact('<pre>\n   x</pre>\n   y'), '<pre>\n   x</pre>\n   y');
  });

  const errors: Array<[string, string, RegExp]> = [
    ['an unknown tag is reported on its own line', page('<mj-section>\n<mj-column>\n<mj-txt>Hi</mj-txt>\n</mj-column>\n</mj-section>'), /^line 5: /],
    ['a misplaced element names its parent and its line', page('<mj-text>outside</mj-text>'), /^line 3: .*mj-text/],
    ['an error inside a block names the block and its line', page('<herald-block name="footer"></herald-block>'), /^line 4 of block "footer": /],
    ['<mj-include> is refused: shared content is a block', page('<mj-include path="/etc/passwd" />'), /^line 3: <mj-include> is not allowed/],
    [
      'an Eta tag MJML would drop is named with its line',
      page('<mj-section>\n<% if (recipient.firstName) { %>\n<mj-column><mj-text>x</mj-text></mj-column>\n<% } %>\n</mj-section>'),
      /^line 4: MJML drops <% if/,
    ],
    [
      'the lines after a multi-line Eta tag are still counted right',
      page('<mj-section><mj-column><mj-text><%\n  const a = 1;\n%></mj-text></mj-column></mj-section>\n<mj-oops></mj-oops>'),
      /^line 6: /,
    ],
  ];
  for (const [title, source, expected] of errors)
    it(`${title}`, async () => {
      const out = await compile(source);
      assert.ok(out.issues.length > 0, 'an error is expected');
      assert.ok(out.issues.every((i) => i.rule === 'mjml.invalid' && i.level === 'error'));
      assert.match(out.issues[0]!.message, expected);
    });
});
