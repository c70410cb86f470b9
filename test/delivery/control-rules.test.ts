import assert from 'node:assert/strict';
import { contentFacts } from '../../server/delivery/checks/content-facts.js';
import { runControlRules, type RuleFacts } from '../../server/delivery/control-rules.js';
import { ISSUE_CATALOGUES, issueText } from '../../server/delivery/issue-texts/index.js';
import { planContent } from '../../server/delivery/template/content.js';
import { catalogueTranslator } from '../../server/shared/i18n/catalogue.js';

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

  const addresses: Array<[string, string, string, string]> = [
    [
      'news@',
      'the sender address is not valid: email has no "@" between a local part and a domain',
      'fr',
      'l’adresse de l’expéditeur n’est pas valide\u00a0: l’adresse e-mail n’a pas de «\u00a0@\u00a0» entre une partie locale et un domaine',
    ],
    [
      'news@example',
      'the sender address is not valid: email domain is not a valid host name',
      'de',
      'die Absenderadresse ist ungültig: die Domain der E-Mail-Adresse ist kein gültiger Hostname',
    ],
  ];
  for (const [address, english, lang, translated] of addresses)
    it(`words the reason a sender address ${address} is refused in the reader's language (${lang}) as well as in English`, () => {
      const issue = runControlRules({ ...facts(`<p>Hi</p>${UNSUBSCRIBE}`, `Hi <%= links.unsubscribe %>`), fromAddress: address }).find(
        (i) => i.rule === 'from.address',
      )!;
      assert.equal(issue.message, english);
      assert.equal(issueText(issue, catalogueTranslator(lang, ISSUE_CATALOGUES)), translated);
    });

  it("counts an added instance's tag in every tracked link when it estimates the HTML size", () => {
    // 100 tracked links: 11,000 bytes more untagged (110 each), 15,100 with a 40-character tag.
    const html = `<p>${'x'.repeat(93_341)}</p>`;
    const base = { ...facts(`<p>Hi</p>${UNSUBSCRIBE}`, `Hi <%= links.unsubscribe %>`), content: contentFacts(html, '', 100) };
    const size = (f: RuleFacts) => runControlRules(f).find((i) => i.rule === 'size.total')?.params;
    assert.deepEqual(size(base), { total: 102, html: 102, text: 0 });
    assert.equal(
      runControlRules(base).find((i) => i.rule === 'size.gmail'),
      undefined,
    );
    const tagged = { ...base, trackingTag: 'a'.repeat(40) };
    assert.deepEqual(size(tagged), { total: 106, html: 106, text: 0 });
    assert.deepEqual(runControlRules(tagged).find((i) => i.rule === 'size.gmail')?.params, { kb: 106, limit: 102 });
  });
});
