import assert from 'node:assert/strict';
import { parseRules } from '../../server/bounce/rules-file.js';
import { foldsOf, groupOf, knownWithout, rulesWithout, unknownSampleFamilies } from '../../scripts/bench/bounce-folds.js';

/** The cross-validation protocol of `bench bounce-accuracy`: no family on both sides of a fold. */
describe('bounce accuracy cross-validation folds', () => {
  const groups: Array<[string, string]> = [
    ['emails/lhost-postfix-12.eml', 'postfix'],
    ['emails/lhost-office365-3.eml', 'microsoft'],
    ['emails/rhost-outlook-04.eml', 'microsoft'],
    ['emails/lhost-exchange2003-01.eml', 'microsoft'],
    ['emails/rhost-google-07.eml', 'google'],
    ['emails/lhost-googlegroups-01.eml', 'google'],
    ['emails/lhost-v5sendmail-01.eml', 'sendmail'],
    ['emails/rfc3464-01.eml', 'rfc3464'],
    ['emails/lhost-x2-01.eml', 'x2'],
  ];
  for (const [file, group] of groups) {
    it(`puts ${file} in the ${group} family`, () => assert.equal(groupOf(file), group));
  }

  it('deals every family into exactly one fold, the same way each time', () => {
    const sizes = new Map([
      ['postfix', 29],
      ['sendmail', 31],
      ['microsoft', 28],
      ['google', 23],
      ['exim', 20],
      ['x2', 5],
      ['au', 3],
    ]);
    const folds = foldsOf(sizes, 3);
    assert.equal(folds.length, 3);
    assert.deepEqual(folds.flat().sort(), [...sizes.keys()].sort());
    assert.deepEqual(foldsOf(sizes, 3), folds);
  });

  const rules = parseRules(
    [
      'tier provider',
      '# example [provider=yahoo from=sendmail]: 554 delivery error: dd This user',
      'yahoo.dd hard user_unknown provider yahoo text /delivery error: dd /',
      '# example [provider=au from=postfix]: 550 : User unknown',
      '# example [provider=au from=yahoo]: 550: : User unknown',
      'au.filtered soft refused provider au text /550:? ?: user unknown/',
      'tier text',
      '# example [from=exim]: 550 Unroutable sender address',
      'sender soft refused text /unroutable sender/',
      '# example: 550 Rejected',
      'refused soft refused text /rejected/',
    ].join('\n'),
  );
  const ids = (held: string[]) => rulesWithout(rules, new Set(held)).rules.map((r) => r.id);
  const cases: Array<[string, string[], string[]]> = [
    ['keeps everything when an unrelated family is held out', ['qmail'], ['yahoo.dd', 'au.filtered', 'sender', 'refused']],
    ['drops a rule naming only the held-out provider', ['yahoo'], ['au.filtered', 'sender', 'refused']],
    ['drops a provider rule learned only from the held-out family', ['sendmail'], ['au.filtered', 'sender', 'refused']],
    ['keeps a provider rule also learned from another family', ['postfix'], ['yahoo.dd', 'au.filtered', 'sender', 'refused']],
    ['drops a generic text rule learned only from the held-out family', ['exim'], ['yahoo.dd', 'au.filtered', 'refused']],
    ['drops a rule learned from two families when both are held out', ['postfix', 'yahoo'], ['sender', 'refused']],
    ['keeps a rule whose sample comes from outside the corpus', ['exim', 'postfix', 'yahoo', 'sendmail'], ['refused']],
  ];
  for (const [title, held, want] of cases) {
    it(title, () => assert.deepEqual(ids(held), want));
  }

  it('does not recognise the held-out families', () => {
    const known = knownWithout(new Set(['google', 'postfix']));
    assert.equal(known.has('google'), false);
    assert.equal(known.has('postfix'), false);
    assert.equal(known.has('exim'), true);
  });

  it('names examples taken from a family the corpus does not have', () => {
    assert.deepEqual(unknownSampleFamilies(rules, new Set(['sendmail', 'postfix', 'exim'])), ['yahoo (line 5)']);
  });
});
