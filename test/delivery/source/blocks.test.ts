import assert from 'node:assert/strict';
import { blockNames, describeOrigin, expandBlocks, type ContentBlock } from '../../../server/delivery/source/blocks.js';

const block = (name: string, format: 'html' | 'mjml', source: string): [string, ContentBlock] => [name, { name, label: name, format, source }];
const blocks = new Map([
  block('header', 'html', '<p>Logo</p>'),
  block('footer', 'mjml', '<mj-section>\n<mj-column>\n<mj-text>Bye</mj-text>\n</mj-column>\n</mj-section>'),
  block('loop', 'html', '<herald-block name="header"></herald-block>'),
]);

describe('content blocks included by reference', () => {
  it('lists the blocks a content refers to, once each, in order', () => {
    assert.deepEqual(blockNames('<herald-block name="footer"></herald-block> <herald-block name="Header"/> <herald-block name="footer" />'), [
      'footer',
      'header',
    ]);
  });

  it('puts the current source of each block in place of its reference', () => {
    const out = expandBlocks('<div>\n<herald-block name="header"></herald-block>\n</div>', 'html', blocks);
    assert.deepEqual(out.issues, []);
    assert.equal(out.source, '<div>\n<p>Logo</p>\n</div>');
  });

  it('wraps an HTML block in a section of its own inside MJML', () => {
    const out = expandBlocks('<mj-body><herald-block name="header" /></mj-body>', 'mjml', blocks);
    assert.equal(out.source, '<mj-body><mj-section><mj-column><mj-raw><p>Logo</p></mj-raw></mj-column></mj-section></mj-body>');
  });

  it('maps each line of the expanded source back to the content or the block line it came from', () => {
    const out = expandBlocks('<mj-body>\n<herald-block name="footer"></herald-block>\n<mj-x/>\n</mj-body>', 'mjml', blocks);
    assert.equal(describeOrigin(out.origin(1)), 'line 1');
    assert.equal(describeOrigin(out.origin(4)), 'line 3 of block "footer"');
    assert.equal(describeOrigin(out.origin(7)), 'line 3');
  });

  const refused: Array<[string, string, 'html' | 'mjml', string, RegExp]> = [
    ['a missing block', '<p>x</p>\n<herald-block name="nope"></herald-block>', 'html', 'blocks.missing', /^line 2: there is no content block "nope"/],
    ['an MJML block in HTML content', '<herald-block name="footer"></herald-block>', 'html', 'blocks.format', /block "footer" is MJML/],
    ['a block that includes a block', '<herald-block name="loop"></herald-block>', 'html', 'blocks.nested', /blocks cannot include blocks/],
    ['a reference written another way', '<p>\n<herald-block id="footer">', 'html', 'blocks.reference', /^line 2: a block reference is written/],
  ];
  for (const [what, source, format, rule, message] of refused)
    it(`refuses ${what} as a control-rule error`, () => {
      const out = expandBlocks(source, format, blocks);
      assert.equal(out.issues.length, 1);
      assert.equal(out.issues[0]!.rule, rule);
      assert.equal(out.issues[0]!.level, 'error');
      assert.match(out.issues[0]!.message, message);
    });
});
