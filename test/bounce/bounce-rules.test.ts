import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classify } from '../../server/bounce/classify.js';
import { parseRules } from '../../server/bounce/rules-file.js';
import type { ClassifyInput } from '../../server/bounce/types.js';
import { APP_ROOT } from '../../server/shared/app-root.js';

/** The shipped rules file: every rule documents real replies, and each one hits its own rule. */
describe('config/bounce-rules.conf', () => {
  const rules = parseRules(readFileSync(join(APP_ROOT, 'config', 'bounce-rules.conf'), 'utf8'));

  it('parses and holds rules', () => {
    assert.ok(rules.rules.length > 20);
  });

  it('puts at least one example above every rule', () => {
    const bare = rules.rules.filter((r) => r.examples.length === 0).map((r) => `${r.id} (line ${r.line})`);
    assert.deepEqual(bare, []);
  });

  for (const rule of rules.rules) {
    for (const example of rule.examples) {
      it(`matches the example on line ${example.line} with rule ${rule.id}`, () => {
        assert.equal(classify(example.input, rules).rule, rule.id, `"${example.input.text}"`);
      });
    }
  }
});

/** Where a "user unknown" is a filter's verdict and where it is the mailbox server's word: the signs each way. */
describe('config/bounce-rules.conf on "user unknown" replies', () => {
  const rules = parseRules(readFileSync(join(APP_ROOT, 'config', 'bounce-rules.conf'), 'utf8'));
  const cases: Array<[string, ClassifyInput, string]> = [
    ['relayed by a filtering gateway', { text: '550 ann@example.org... No such user', role: 'gateway' }, 'soft/refused/user_unknown.gateway'],
    [
      'refused by a gateway at RCPT TO (it passed the mailbox server on)',
      { text: '550 ann@example.org... No such user', role: 'gateway', command: 'RCPT' },
      'hard/user_unknown/user_unknown.rcpt',
    ],
    [
      'relayed by a gateway with a 5.1.1',
      { text: '550 5.1.1 <ann@example.org>... User unknown', role: 'gateway' },
      'hard/user_unknown/user_unknown.status_text',
    ],
    ['from a server that calls itself a gateway', { text: "550 'ann@example.org' is not a registered gateway user" }, 'soft/refused/user_unknown.filter_said'],
    ['under a 5.2.1 (the mailbox is there)', { text: '550 5.2.1 <ann@example.org>... User Unknown' }, 'soft/refused/user_unknown.mailbox_refuses'],
    ['under a 5.2.1 at RCPT TO', { text: '550 5.2.1 <ann@example.org>... User Unknown', command: 'RCPT' }, 'hard/user_unknown/user_unknown.rcpt'],
    [
      'relayed by a mail server without a sign either way',
      { text: '550 ann@example.org... No such user', role: 'mta' },
      'soft/user_unknown/user_unknown.unconfirmed',
    ],
    ['after DATA', { text: '550 Unknown user ann@example.org', command: 'DATA' }, 'soft/refused/user_unknown.after_data'],
  ];
  for (const [title, input, expected] of cases) {
    it(`qualifies a "user unknown" ${title}`, () => {
      const c = classify(input, rules);
      assert.equal(`${c.type}/${c.reason}/${c.rule}`, expected);
    });
  }
});

/** Words that name their product decide whoever relays the report, and only where they say what they mean. */
describe('config/bounce-rules.conf on a product’s own words', () => {
  const rules = parseRules(readFileSync(join(APP_ROOT, 'config', 'bounce-rules.conf'), 'utf8'));
  const cases: Array<[string, string, string]> = [
    [
      "Exchange's unknown recipient, with no family sign",
      'ann@example.org The recipient name is not recognized MSEXCH:IMS:ORG:SITE:SERVER1 0 (000C05A6) Unknown Recipient',
      'hard/user_unknown/microsoft.not_recognized',
    ],
    [
      "Exchange's same words for a domain that does not exist (KB Q168557)",
      "'TEST@JUNK.TEST.CA' on 3/27/97 11:18 AM The recipient name is not recognized MSEXCH:IMC:LINKAGE:Toronto:WWW 3902 Host Unknown",
      'hard/invalid_domain/invalid_domain',
    ],
    [
      "Outlook.com's stock 550 text with its bracketed reference",
      '550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302).',
      'hard/user_unknown/microsoft.mailbox_unavailable',
    ],
    ['the same stock text from anyone else', '550 Requested action not taken: mailbox unavailable', 'soft/user_unknown/user_unknown.unconfirmed'],
    ["Spectrum's rate-limit code under a sender refusal", '550 5.1.0 <a@example.com> sender rejected. AUP#In-1310', 'soft/unreachable/spectrum.rate_limited'],
    ["Spectrum's policy code (not a rate limit)", '554 5.7.1 sender rejected AUP#CDRBL', 'soft/refused/sender.refused'],
  ];
  for (const [title, text, expected] of cases) {
    it(`qualifies ${title}`, () => {
      const c = classify({ text }, rules);
      assert.equal(`${c.type}/${c.reason}/${c.rule}`, expected);
    });
  }
});
