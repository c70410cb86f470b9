import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { HmacSha256 } from '../../server/shared/hmac-sha256.js';

describe('HMAC-SHA256 with precomputed key pads', () => {
  it('matches RFC 4231 test case 2 ("Jefe")', () => {
    const mac = new HmacSha256(Buffer.from('Jefe')).digest(Buffer.from('what do ya want for nothing?'));
    assert.equal(mac.toString('hex'), '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('matches RFC 4231 test case 6 (a 131-byte key, hashed first)', () => {
    const mac = new HmacSha256(Buffer.alloc(131, 0xaa)).digest(Buffer.from('Test Using Larger Than Block-Size Key - Hash Key First'));
    assert.equal(mac.toString('hex'), '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54');
  });

  it('gives the same bytes as node:crypto for every data length across the block boundaries', () => {
    const key = randomBytes(32);
    const hmac = new HmacSha256(key);
    for (let length = 0; length <= 200; length++) {
      const data = randomBytes(length);
      assert.deepEqual(hmac.digest(data), createHmac('sha256', key).update(data).digest(), `data of ${length} bytes`);
    }
  });

  it('gives the same bytes as node:crypto for keys of any length, and for long data', () => {
    for (const keyLength of [0, 1, 31, 32, 63, 64, 65, 200]) {
      const key = randomBytes(keyLength);
      const data = randomBytes(5000 + keyLength);
      assert.deepEqual(new HmacSha256(key).digest(data), createHmac('sha256', key).update(data).digest(), `key of ${keyLength} bytes`);
    }
  });

  it('returns a fresh buffer per digest (no shared scratch leaks out)', () => {
    const hmac = new HmacSha256(Buffer.from('key'));
    const first = hmac.digest(Buffer.from('a'));
    const copy = Buffer.from(first);
    hmac.digest(Buffer.from('b'));
    assert.deepEqual(first, copy);
  });
});
