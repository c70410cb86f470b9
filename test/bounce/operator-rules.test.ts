import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classify } from '../../server/bounce/classify.js';
import { normalizeBounceText } from '../../server/bounce/normalize-text.js';
import { renderOperatorRules, type OperatorRule } from '../../server/bounce/operator-rules.js';
import { combineRules, parseRules, withOperatorRules } from '../../server/bounce/rules-file.js';
import { APP_ROOT } from '../../server/shared/app-root.js';

/** Operators' qualifications as rules: rendered as rules-file text, combined with the shipped rules, and applied to later texts. */
describe('operator rules', () => {
  const file = readFileSync(join(APP_ROOT, 'config', 'bounce-rules.conf'), 'utf8');
  const sample = '554 The quokka declined your envelope for <ann@example.org> (ref 8812, 2026-03-02 10:00:00)';
  const rule = (over: Partial<OperatorRule> = {}): OperatorRule => ({
    id: 'qualified.1',
    type: 'hard',
    reason: 'user_unknown',
    normalized: normalizeBounceText(sample),
    sample,
    by: 'admin',
    at: new Date('2026-03-02T10:00:00Z'),
    ...over,
  });

  it('renders as rules-file text with the sample as its example', () => {
    const text = renderOperatorRules([rule()]);
    assert.match(text, /^tier operator$/m);
    assert.match(text, /^# qualified by admin on 2026-03-02$/m);
    assert.match(text, new RegExp(`^# example: ${sample.replace(/[()]/g, '\\$&')}$`, 'm'));
    const parsed = parseRules(text, 'operator rules');
    assert.equal(parsed.rules[0]!.tier, 'operator');
    assert.equal(classify(parsed.rules[0]!.examples[0]!.input, parsed).rule, 'qualified.1', 'its example hits it');
  });

  it('quotes texts holding double quotes and backslashes', () => {
    const odd = '550 "no" \\ <bob@example.org> refused';
    const parsed = parseRules(renderOperatorRules([rule({ normalized: normalizeBounceText(odd), sample: odd })]));
    assert.equal(classify({ text: odd }, parsed).rule, 'qualified.1');
  });

  const later: Array<[string, string, string]> = [
    [
      'the same text for another address, reference and date',
      '554 The quokka declined your envelope for <bob@example.com> (ref 99, 2026-04-01 08:30:00)',
      'qualified.1',
    ],
    ['a different text', '554 The quokka accepted nothing at all', 'default'],
  ];
  for (const [title, text, id] of later) {
    it(`applies to ${title}`, () => {
      const rules = combineRules(file, 'bounce-rules.conf', renderOperatorRules([rule()]));
      assert.equal(classify({ text }, rules).rule, id);
    });
  }

  it('comes after the message tier and before every provider, status and text rule', () => {
    const rules = combineRules(file, 'bounce-rules.conf', renderOperatorRules([rule()]));
    const tiers = rules.rules.map((r) => r.tier);
    const at = rules.rules.findIndex((r) => r.id === 'qualified.1');
    assert.ok(tiers.slice(0, at).every((t) => t === 'message'));
    assert.ok(tiers.slice(at + 1).every((t) => t !== 'message' && t !== 'operator'));
    assert.equal(classify({ text: '550 5.1.1 user unknown', kind: 'arf' }, rules).rule, 'complaint.feedback_loop');
  });

  it('goes first in a rules file without tiers', () => {
    const plain = parseRules('# example: 554 anything\nall soft refused text /./\n');
    const merged = withOperatorRules(plain, parseRules(renderOperatorRules([rule()])));
    assert.deepEqual(
      merged.rules.map((r) => r.id),
      ['qualified.1', 'all'],
    );
  });

  it("refuses an operator rule outside the operator tier or with a shipped rule's id", () => {
    const plain = parseRules('# example: 554 anything\nall soft refused text /./\n');
    assert.throws(() => withOperatorRules(plain, parseRules('# example: x\nall hard user_unknown text /x/\n')), /rule id "all" is also in/);
    assert.throws(() => withOperatorRules(plain, parseRules('# example: x\nother hard user_unknown text /x/\n')), /belong to tier operator/);
  });
});
