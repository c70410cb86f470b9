import assert from 'node:assert/strict';
import { restoreEditedTags } from '../../../server/delivery/source/editor-output.js';

describe('what the visual editor saves, made source again', () => {
  const cases: Array<[string, string, string]> = [
    ['a field typed in a text', '<mj-text>Hello &lt;%= recipient.firstName %&gt;!</mj-text>', '<mj-text>Hello <%= recipient.firstName %>!</mj-text>'],
    [
      'a condition with quotes and an ampersand inside the tag',
      '&lt;% if (recipient.fields.city === &quot;Paris&quot; &amp;&amp; x) { %&gt;Bonjour&lt;% } %&gt;',
      '<% if (recipient.fields.city === "Paris" && x) { %>Bonjour<% } %>',
    ],
    ['a tag left as a tag', '<a href="<%= links.unsubscribe %>">Unsubscribe</a>', '<a href="<%= links.unsubscribe %>">Unsubscribe</a>'],
    ['entities outside tags, untouched', '<mj-text>Fish &amp; chips &lt;b&gt;</mj-text>', '<mj-text>Fish &amp; chips &lt;b&gt;</mj-text>'],
    ['an unclosed escaped tag, untouched', '<mj-text>&lt;%= recipient.firstName</mj-text>', '<mj-text>&lt;%= recipient.firstName</mj-text>'],
  ];
  for (const [what, saved, source] of cases)
    it(`restores ${what}`, () => {
      assert.equal(restoreEditedTags(saved), source);
    });
});
