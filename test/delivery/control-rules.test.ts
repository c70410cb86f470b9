import assert from 'node:assert/strict';
import { runControlRules, type RuleFacts } from '../../server/delivery/control-rules.js';
import { planContent } from '../../server/delivery/template/content.js';

const UNSUBSCRIBE = '<a href="<%= links.unsubscribe %>">Unsubscribe</a>';

function facts(html: string, text: string): RuleFacts {
  return {
    kind: 'marketing',
    marketing: true,
    subject: 'Hello',
    fromName: null,
    fromAddress: 'news@example.com',
    replyTo: null,
    plan: planContent({ subject: 'Hello', html, text, headers: {}, track: true, openPixel: false }),
    dkimKeys: 1,
    missingCustomFields: [],
    validityEnd: null,
    scheduledAt: null,
    proofRecipients: 0,
    maxProofRecipients: 10,
    now: new Date('2026-06-01T00:00:00Z'),
  };
}

describe('delivery control rules', () => {
  const cases: Array<[string, string, string, string[]]> = [
    ['an HTML part with a syntax error is reported once, as a syntax error', `<p><%= recipient.firstName </p>${UNSUBSCRIBE}`, '', ['content.syntax']],
    [
      'a text part with a syntax error is not also "missing"',
      `<p>Hi</p>${UNSUBSCRIBE}`,
      'Hi\n<%= links.unsubscribe %>\n<%= recipient.firstName',
      ['content.syntax'],
    ],
    ['both parts broken: two syntax errors, no "neither part"', '<p><%= recipient. </p>', '<%= links.unsubscribe ', ['content.syntax', 'content.syntax']],
    ['no part at all is refused as empty', '', '', ['content.empty']],
    ['only blanks count as no part', '  \n', ' ', ['content.empty']],
    ['an HTML part without text is a warning', `<p>Hi</p>${UNSUBSCRIBE}`, '', ['text.missing']],
  ];
  for (const [title, html, text, rules] of cases)
    it(title, () => {
      assert.deepEqual(
        runControlRules(facts(html, text)).map((i) => i.rule),
        rules,
      );
    });
});
