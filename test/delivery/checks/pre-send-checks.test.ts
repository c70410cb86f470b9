import assert from 'node:assert/strict';
import { contentFacts } from '../../../server/delivery/checks/content-facts.js';
import { runControlRules, type RuleFacts } from '../../../server/delivery/control-rules.js';
import { planContent } from '../../../server/delivery/template/content.js';

const UNSUBSCRIBE = '<a href="<%= links.unsubscribe %>">Unsubscribe</a>';
const PREHEADER = '<div style="display:none;max-height:0">The news of the month</div>';
const WORDS = 'Spring is here and our shop has a new address with more room for you. '.repeat(5);
const body = (inner: string) => `<html><head><title>t</title></head><body>${inner}</body></html>`;
const GOOD = body(`${PREHEADER}<p>${WORDS}</p><img src="https://example.com/a.png" alt="A tree">${UNSUBSCRIBE}`);

function facts(html: string, text = '', subject = 'The news of the month', marketing = true): RuleFacts {
  const plan = planContent({ subject, html, text, headers: {}, track: true, openPixel: false });
  return {
    kind: marketing ? 'marketing' : 'transactional',
    marketing,
    subject,
    fromName: null,
    fromAddress: 'news@example.com',
    replyTo: null,
    plan,
    content: contentFacts(html, text, plan.links.length),
    dkimKeys: 1,
    missingCustomFields: [],
    validityEnd: null,
    scheduledAt: null,
    proofRecipients: 0,
    maxProofRecipients: 10,
    now: new Date('2026-06-01T00:00:00Z'),
  };
}

/** The rules that fire (size.total always informs, text.missing whenever the text part is empty). */
const fired = (f: RuleFacts) =>
  runControlRules(f)
    .filter((i) => i.rule !== 'size.total' && i.rule !== 'text.missing')
    .map((i) => `${i.level} ${i.rule}`);

describe('pre-send checks as control rules', () => {
  it('a complete marketing email passes every check', () => assert.deepEqual(fired(facts(GOOD)), []));

  const cases: Array<[string, RuleFacts, string[], RegExp]> = [
    [
      'an image without alt text is a warning naming the image',
      facts(GOOD.replace('alt="A tree"', 'alt=""')),
      ['warning images.alt'],
      /1 image\(s\) without alt text \(https:\/\/example.com\/a.png\)/,
    ],
    [
      'an HTML part over 102 KB (tracked links counted) warns of Gmail clipping',
      facts(GOOD.replace('</body>', `<p>${'x'.repeat(103 * 1024)}</p></body>`)),
      ['warning size.gmail'],
      /Gmail clips messages over 102 KB/,
    ],
    [
      'a content mostly made of images warns of the text/HTML balance',
      facts(body(`${PREHEADER}<img src="https://example.com/a.png" alt="A"><img src="https://example.com/b.png" alt="B"><p>Buy</p>${UNSUBSCRIBE}`)),
      ['warning balance.images'],
      /mostly images \(2 image\(s\), \d+ characters of text\)/,
    ],
    [
      'a text part much shorter than the HTML is a warning',
      facts(GOOD, 'Hi\n<%= links.unsubscribe %>'),
      ['warning balance.text'],
      /leave it empty to generate it from the HTML/,
    ],
    ['marketing mail without a preheader gets a warning', facts(GOOD.replace(PREHEADER, '')), ['warning preheader.missing'], /no preheader/],
    ['a transactional message needs no preheader', facts(GOOD.replace(PREHEADER, '').replace(UNSUBSCRIBE, ''), '', 'Your receipt', false), [], /./],
    ['marketing mail without an unsubscribe link is refused', facts(GOOD.replace(UNSUBSCRIBE, '')), ['error unsubscribe.html'], /needs an unsubscribe link/],
    [
      'a subject longer than clients show is a warning',
      facts(GOOD, '', 'A subject so long that no inbox will ever show the end of it, where the offer is'),
      ['warning subject.length'],
      /80 characters long: desktop clients show about 60, phones about 35/,
    ],
    [
      'the example postal address of the default footer is a warning',
      facts(GOOD.replace('</body>', '<p>Example Company · 1 Example Street</p></body>')),
      ['warning footer.address'],
      /edit the "footer" content block/,
    ],
  ];
  for (const [title, f, rules, message] of cases)
    it(title, () => {
      assert.deepEqual(fired(f), rules);
      const issue = runControlRules(f).find((i) => i.rule === rules[0]?.split(' ')[1]);
      if (issue) assert.match(issue.message, message);
    });

  it('always tells the total size', () => {
    const size = runControlRules(facts(GOOD)).find((i) => i.rule === 'size.total');
    assert.match(size?.message ?? '', /^the message is about 1 KB \(HTML 1 KB, text 0 KB\)$/);
  });
});

describe('content facts', () => {
  it('reads the checkable URLs of links and images, personalized query values emptied, others skipped', () => {
    const html = body(
      '<a href="https://example.com/a?id=<%= recipient.id %>&amp;x=1">a</a><a href="<%= links.unsubscribe %>">u</a><a href="https://<%= recipient.domain %>/x">p</a><img src="http://example.com/i.png" alt="i"><a href="mailto:a@example.com">m</a><a href="https://example.com/a?id=<%= recipient.id %>&amp;x=1">again</a>',
    );
    assert.deepEqual(contentFacts(html, '', 0).urls, [
      { url: 'https://example.com/a?id=&x=1', kind: 'link' },
      { url: 'http://example.com/i.png', kind: 'image' },
    ]);
  });

  it('counts a 1×1 pixel as no image missing its alt, and text in the head as not visible', () => {
    const f = contentFacts('<html><head><title>Long title here</title></head><body><img src="p.gif" width="1" height="1"><p>Hi</p></body></html>', '', 0);
    assert.deepEqual(f.imagesWithoutAlt, []);
    assert.equal(f.visibleTextChars, 2);
    assert.equal(f.preheader, false);
  });
});
