import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_ROOT } from '../../server/shared/app-root.js';
import { passwordProblem, type PasswordProblem } from '../../server/shared/password-rules.js';

describe('password rules (NIST SP 800-63B: length, breached and common passwords, repetition, context)', () => {
  const cases: Array<[string, string, PasswordProblem | undefined, string?]> = [
    ['shorter than 12 characters', 'Xk3!pq9', 'too_short'],
    ['longer than 1024 characters', 'x'.repeat(1025), 'too_long'],
    ['a common password of 12 characters or more, whatever its case', '1QAZ2WSX3EDC', 'common'],
    ['a common password with digits and symbols added around it', 'Password2024!', 'common'],
    ['a common password with digits in front', '2024iloveyou!!', 'common'],
    ['a common password written twice', 'dragondragon', 'common'],
    ['one character repeated', 'aaaaaaaaaaaaaa', 'repetitive'],
    ['a short pattern repeated', 'xkq7xkq7xkq7', 'repetitive'],
    ['an ascending run', '1234567890123', 'repetitive'],
    ['a descending run of letters', 'zyxwvutsrqpon', 'repetitive'],
    ['the login inside it', 'marie.curie-2026!', 'login', 'marie.curie'],
    ['the product name and a year', 'Herald-2026-Herald', 'context'],
    ['a passphrase', 'correct horse battery', undefined],
    ['random characters', 'tR7#qv9!Lm2@', undefined],
    ['a long phrase that starts with a common word', 'dragonfly island at dawn', undefined],
    ['a common word inside a longer password', 'mymonkeyeatspurplekiwis', undefined],
  ];
  for (const [what, password, problem, login] of cases)
    it(`${problem ? `refuses (${problem})` : 'accepts'} ${what}`, () => {
      assert.equal(passwordProblem(password, { login })?.code, problem);
    });

  it('gives every refusal a message that says why', () => {
    assert.match(passwordProblem('Password2024!')!.message, /common|stolen/);
    assert.match(passwordProblem('short')!.message, /12 characters/);
  });

  it('ships its list of breached and common passwords as data with its provenance', () => {
    const list = readFileSync(join(APP_ROOT, 'config', 'common-passwords.txt'), 'utf8')
      .split('\n')
      .filter(Boolean);
    assert.ok(list.length >= 10_000, `${list.length} passwords`);
    assert.equal(list[0], '123456');
    assert.match(readFileSync(join(APP_ROOT, 'config', 'common-passwords.md'), 'utf8'), /Licence\*\*: MIT/);
    for (const p of ['password', 'qwerty', 'letmein', '123qweasdzxc']) assert.ok(list.includes(p), p);
  });
});
