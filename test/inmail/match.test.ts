import assert from 'node:assert/strict';
import { bounceKeys, trackingKeys } from '../../server/shared/config/signing-keys.js';
import { matchMessage, type MatchKeys } from '../../server/inmail/match.js';
import { messageIdFor, verpAddress } from '../../server/shared/tokens.js';
import { createInstance, type TestInstance } from '../helpers/instance.js';

describe('matching a bounce to its message across a bounce key rotation', () => {
  let instance: TestInstance;
  let old: string;
  before(() => {
    instance = createInstance();
    old = instance.config.secrets.bounceKey;
  });
  after(() => instance.cleanup());
  const ids = { broadLogId: 4321, deliveryId: 12 };
  const domain = 'bounce.example.com';
  const keysWith = (previousBounceKey: string): MatchKeys => {
    const secrets = { ...instance.config.secrets, bounceKey: 'n'.repeat(43), previousBounceKey };
    return { bounceKey: bounceKeys(secrets), trackingKey: trackingKeys(secrets), bounceDomain: domain, verpPrefix: 'bounce' };
  };

  it('recognises VERP addresses and Message-IDs signed with the previous key while it is configured', () => {
    const keys = keysWith(old);
    assert.deepEqual(matchMessage([verpAddress(old, ids, domain)], [], keys, 0), { kind: 'verp', ids });
    assert.deepEqual(matchMessage([verpAddress('n'.repeat(43), ids, domain)], [], keys, 0), { kind: 'verp', ids });
    assert.deepEqual(matchMessage([`bounce@${domain}`], [messageIdFor(old, ids, 'example.com').slice(1, -1)], keys, 0), { kind: 'reference', ids });
  });

  it('treats them as forged once the previous key is removed', () => {
    const match = matchMessage([verpAddress(old, ids, domain)], [], keysWith(''), 0);
    assert.equal(match.kind, 'forged');
  });
});
