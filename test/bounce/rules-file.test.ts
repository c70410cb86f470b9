import assert from 'node:assert/strict';
import { classify, explain } from '../../server/bounce/classify.js';
import { parseRules } from '../../server/bounce/rules-file.js';

const RULES = `
define unknown /user unknown|no such user/

# example: 550 5.1.1 <a@example.com>... User unknown
unknown.rcpt   hard  user_unknown  command RCPT  text $unknown
# example [kind=arf]: Feedback-Type: abuse
complaint      hard  refused       kind arf  denylist
# example: 452 4.2.2 Mailbox full
full           soft  mailbox_full  status 4.2.2,5.2.x
# example: 550 5.7.1 blocked
policy         soft  refused       status 5.7.x  !text /unknown/
# example: 421 try later
temp           soft  unreachable   code 4xx  unqualified
`;

describe('parseRules() and classify()', () => {
  const rules = parseRules(RULES, 'test.conf');

  it('reads ids, types, reasons, flags, examples and lines', () => {
    assert.deepEqual(
      rules.rules.map((r) => [r.id, r.type, r.reason, r.denylist, r.unqualified, r.line, r.examples.length]),
      [
        ['unknown.rcpt', 'hard', 'user_unknown', false, false, 5, 1],
        ['complaint', 'hard', 'refused', true, false, 7, 1],
        ['full', 'soft', 'mailbox_full', false, false, 9, 1],
        ['policy', 'soft', 'refused', false, false, 11, 1],
        ['temp', 'soft', 'unreachable', false, true, 13, 1],
      ],
    );
  });

  const cases: Array<[string, Parameters<typeof classify>[0], string, boolean]> = [
    ['a named pattern with the command given', { text: 'User unknown', command: 'RCPT' }, 'unknown.rcpt', true],
    ['the command read from the text', { text: '550 User unknown (in reply to RCPT TO command)' }, 'unknown.rcpt', true],
    ['no match without the command', { text: '550 User unknown' }, 'default', false],
    ['a kind condition', { text: 'Feedback-Type: abuse', kind: 'arf' }, 'complaint', true],
    ['a status list with x', { text: 'quota', status: '5.2.3' }, 'full', true],
    ['the status read from the text', { text: '552 5.2.2 over quota' }, 'full', true],
    ['a negated condition that holds', { text: '550 5.7.1 blocked by policy' }, 'policy', true],
    ['a negated condition that fails', { text: '550 5.7.1 unknown sender' }, 'default', false],
    ['a code pattern, unqualified', { text: '421 try again later' }, 'temp', false],
  ];
  for (const [title, input, rule, qualified] of cases) {
    it(`matches ${title}`, () => {
      const result = classify(input, rules);
      assert.equal(result.rule, rule);
      assert.equal(result.qualified, qualified);
    });
  }

  it('falls back to soft / not_defined, to qualify (Adobe\'s "Not defined")', () => {
    assert.deepEqual(classify({ text: 'something odd' }, rules), { type: 'soft', reason: 'not_defined', rule: 'default', qualified: false });
  });

  it('flags complaints for the denylist', () => {
    assert.equal(classify({ text: 'x', kind: 'arf' }, rules).denylist, true);
  });

  it('explains which condition stopped each rule before the match', () => {
    const why = explain({ text: '550 5.7.1 blocked' }, rules);
    assert.equal(why.result.rule, 'policy');
    assert.deepEqual(
      why.skipped.map((s) => [s.rule, s.failed]),
      [
        ['unknown.rcpt', 'command RCPT'],
        ['complaint', 'kind arf'],
        ['full', 'status 4.2.2,5.2.x'],
      ],
    );
    assert.deepEqual(why.matched, { line: 11, conditions: ['status 5.7.x', '!text /unknown/'] });
  });

  it('reads tiers, family conditions and where an example was taken from', () => {
    const tiered = parseRules(
      [
        'tier provider',
        "# example [provider=yahoo from=sendmail]: 554 delivery error: dd This user doesn't have a yahoo.com account",
        'yahoo.dd hard user_unknown provider yahoo text /delivery error: dd /',
        'tier status',
        '# example: 550 5.1.1 User unknown',
        'unknown hard user_unknown status 5.1.1',
        'tier text',
        '# example [role=gateway]: 550 No such user',
        'gateway soft refused role gateway text /no such user/',
      ].join('\n'),
      'tiers.conf',
    );
    assert.deepEqual(
      tiered.rules.map((r) => [r.id, r.tier, r.examples.map((e) => e.from ?? '-')]),
      [
        ['yahoo.dd', 'provider', ['sendmail']],
        ['unknown', 'status', ['-']],
        ['gateway', 'text', ['-']],
      ],
    );
    const cases: Array<[Parameters<typeof classify>[0], string]> = [
      [{ text: "554 delivery error: dd This user doesn't have a yahoo.com account", provider: 'yahoo' }, 'yahoo.dd'],
      [{ text: "554 delivery error: dd This user doesn't have a yahoo.com account" }, 'default'],
      [{ text: '550 No such user', role: 'gateway', reporter: 'mcafee' }, 'gateway'],
      [{ text: '550 No such user' }, 'default'],
    ];
    for (const [input, rule] of cases) assert.equal(classify(input, tiered).rule, rule, input.text);
  });

  const errors: Array<[string, string, RegExp]> = [
    ['an unknown type', 'r1 fatal user_unknown text /x/', /test\.conf:1: type must be one of/],
    ['an unknown reason', 'r1 hard gone text /x/', /unknown reason "gone"/],
    ['a bad regex', 'r1 hard user_unknown text /(/', /test\.conf:1: bad regex/],
    ['an unknown condition', 'r1 hard user_unknown colour blue', /expected a condition/],
    ['an unknown pattern name', 'r1 hard user_unknown text $nope', /unknown pattern name "\$nope"/],
    ['a bad status pattern', 'r1 hard user_unknown status 5.1.a', /bad status pattern/],
    ['an unknown kind', 'r1 hard user_unknown kind fax', /kind must be among/],
    ['a duplicate id', 'r1 hard user_unknown text /x/\nr1 hard user_unknown text /y/', /test\.conf:2: duplicate rule id "r1"/],
    ['a bad example fact', '# example [colour=blue]: x\nr1 hard user_unknown text /x/', /unknown example fact/],
    ['an unknown family', 'r1 hard user_unknown provider gmial text /x/', /unknown family "gmial"/],
    ['an unknown role', 'r1 hard user_unknown role relay text /x/', /unknown role "relay"/],
    ['an unknown tier', 'tier vague', /test\.conf:1: unknown tier "vague"/],
    ['tiers out of order', 'tier text\nr1 hard user_unknown text /x/\ntier status', /test\.conf:3: tier status comes after tier text/],
    ['rules before the first tier', 'r1 hard user_unknown text /x/\ntier text', /rules before the first tier line/],
    ['a rule that does not test its tier', 'tier status\nr1 hard user_unknown text /x/', /test\.conf:2: a rule in tier status tests status/],
    [
      'a provider rule testing only the text',
      'tier provider\nr1 hard user_unknown !provider google text /x/',
      /a rule in tier provider tests reporter or role or provider/,
    ],
  ];
  for (const [title, text, message] of errors) {
    it(`refuses ${title} with the file and line`, () => {
      assert.throws(
        () => parseRules(text, 'test.conf'),
        (err: Error & { code?: string }) => err.code === 'BOUNCE_RULES_INVALID' && message.test(err.message),
      );
    });
  }
});
