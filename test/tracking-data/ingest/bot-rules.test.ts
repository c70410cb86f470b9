import assert from 'node:assert/strict';
import { BOT_RULES, HUMAN_USER_AGENTS, type UserAgentRule } from '../../../server/tracking-data/ingest/bot-rules.js';
import { classifyRecipientHits, type RecipientHit } from '../../../server/tracking-data/ingest/classify-hits.js';

const SENT = Date.parse('2026-03-02T09:00:00Z');
const HUMAN = HUMAN_USER_AGENTS[0]!;
const hit = (key: string, type: RecipientHit['type'], seconds: number, urlId: number | null = 1, userAgent: string | null = HUMAN): RecipientHit => ({
  key,
  type,
  at: SENT + seconds * 1000,
  urlId,
  userAgent,
});
const classify = (hits: RecipientHit[], links = 4) => Object.fromEntries(classifyRecipientHits(hits, { sentAt: SENT, links }));

describe('bot and privacy-proxy detection', () => {
  const userAgentRules = BOT_RULES.filter((r): r is UserAgentRule => r.kind === 'user_agent');
  for (const rule of userAgentRules) {
    for (const example of rule.examples) {
      it(`flags ${JSON.stringify(example)} by rule ${rule.id} (${rule.reason})`, () => {
        const kind = rule.hits === 'open' ? 'open' : 'link';
        const first = userAgentRules.find((r) => (r.hits === 'any' || r.hits === kind) && r.pattern.test(example));
        assert.equal(first?.id, rule.id, 'the example hits its own rule first');
        assert.equal(classify([hit('h', kind === 'open' ? 'open' : 'click', 3600, 1, example)])['h'], rule.reason);
      });
    }
  }

  for (const ua of HUMAN_USER_AGENTS) {
    it(`counts ${ua.slice(0, 60)}… as a person, for opens and clicks`, () => {
      assert.deepEqual(classify([hit('o', 'open', 3600, 9, ua), hit('c', 'click', 3700, 1, ua)]), { o: null, c: null });
    });
  }

  const timing: Array<{ case: string; hits: RecipientHit[]; links?: number; expected: Record<string, string | null> }> = [
    { case: 'a click 2 s after the send (a gateway scanning on arrival)', hits: [hit('c', 'click', 2)], expected: { c: 'too_fast' } },
    { case: 'a click 10 minutes after the send', hits: [hit('c', 'click', 600)], expected: { c: null } },
    { case: 'an open 2 s after the send (opens are not judged on timing)', hits: [hit('o', 'open', 2, 9)], expected: { o: null } },
    {
      case: 'every link of the message hit within 10 s',
      hits: [hit('a', 'click', 600, 1), hit('b', 'click', 603, 2), hit('c', 'opt_out', 606, 3), hit('later', 'click', 900, 1)],
      links: 3,
      expected: { a: 'link_burst', b: 'link_burst', c: 'link_burst', later: null },
    },
    { case: 'two of four links within 10 s', hits: [hit('a', 'click', 600, 1), hit('b', 'click', 603, 2)], links: 4, expected: { a: null, b: null } },
    {
      case: 'both links of a two-link message at once',
      hits: [hit('a', 'click', 600, 1), hit('b', 'click', 601, 2)],
      links: 2,
      expected: { a: 'link_burst', b: 'link_burst' },
    },
    {
      case: 'the same link clicked three times quickly',
      hits: [hit('a', 'click', 600, 1), hit('b', 'click', 601, 1), hit('c', 'click', 602, 1)],
      links: 4,
      expected: { a: null, b: null, c: null },
    },
    {
      case: 'three links spread over a minute',
      hits: [hit('a', 'click', 600, 1), hit('b', 'click', 630, 2), hit('c', 'click', 660, 3)],
      links: 4,
      expected: { a: null, b: null, c: null },
    },
  ];
  for (const c of timing) {
    it(`judges ${c.case}`, () => assert.deepEqual(classify(c.hits, c.links), c.expected));
  }

  it('names the first matching reason when several rules match', () => {
    assert.deepEqual(classify([hit('c', 'click', 1, 1, 'curl/8.5.0')]), { c: 'scanner' });
  });
});
