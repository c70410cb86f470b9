import assert from 'node:assert/strict';
import { generatePassword, hashPassword, needsRehash, verifyPassword } from '../../server/shared/password.js';

describe('passwords', () => {
  it('hashes with scrypt (N = 2^17) and a random salt, and verifies only the right password', async () => {
    const hash = await hashPassword('correct horse battery');
    assert.match(hash, /^scrypt\$17\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    assert.notEqual(hash, await hashPassword('correct horse battery'), 'each hash has its own salt');
    assert.equal(await verifyPassword('correct horse battery', hash), true);
    assert.equal(await verifyPassword('correct horse batterY', hash), false);
    assert.equal(await verifyPassword('x', 'md5$abc'), false, 'unknown schemes never verify');
    assert.equal(needsRehash(hash), false);
    assert.equal(needsRehash('scrypt$14$8$1$a$b'), true);
  });

  it('generates one-time passwords of 20 unambiguous characters', () => {
    const seen = new Set(Array.from({ length: 100 }, () => generatePassword()));
    assert.equal(seen.size, 100);
    for (const p of seen) assert.match(p, /^[a-km-np-zA-HJ-NP-Z2-9]{20}$/);
  });
});
