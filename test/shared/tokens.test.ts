import assert from 'node:assert/strict';
import {
  decodeRecipientToken,
  decodeTrackingToken,
  encodeRecipientToken,
  encodeTrackingToken,
  messageIdFor,
  parseMessageId,
  parseVerpAddress,
  trackingTokenTag,
  verpAddress,
  type Keys,
} from '../../server/shared/tokens.js';

const KEY = 'k'.repeat(43);
const OLD = 'o'.repeat(43);
const keys = { current: KEY };

describe('signed tokens', () => {
  describe('tracking tokens', () => {
    const ids = { deliveryId: 42, broadLogId: 9_007_199_254, urlId: 7 };

    it('round-trip the ids and the signed per-recipient parameters', () => {
      const token = encodeTrackingToken(KEY, ids, ['abc', 'é&=']);
      assert.match(token, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{16}$/, 'URL-safe');
      assert.deepEqual(decodeTrackingToken(keys, token, ['abc', 'é&=']), ids);
    });

    it('reject tampered ids, tampered parameters, another key and malformed input', () => {
      const token = encodeTrackingToken(KEY, ids, ['abc']);
      const [payload, sig] = token.split('.');
      const otherIds = encodeTrackingToken(KEY, { ...ids, urlId: 8 }).split('.')[0];
      const cases = [
        `${otherIds}.${sig}`,
        `${payload}.${sig!.slice(0, -1)}${sig!.endsWith('A') ? 'B' : 'A'}`,
        token.replace('.', ''),
        '',
        '..',
        'x'.repeat(500),
        `${payload}.${sig}.extra`,
      ];
      for (const bad of cases) assert.equal(decodeTrackingToken(keys, bad, ['abc']), undefined, bad);
      assert.equal(decodeTrackingToken(keys, token, ['abd']), undefined, 'a changed parameter');
      assert.equal(decodeTrackingToken(keys, token, []), undefined, 'a dropped parameter');
      assert.equal(decodeTrackingToken({ current: OLD }, token, ['abc']), undefined, 'another key');
    });

    it('still verify with the previous key after a key rotation', () => {
      const token = encodeTrackingToken(OLD, ids);
      assert.deepEqual(decodeTrackingToken({ current: KEY, previous: OLD }, token), ids);
    });

    it('carry a signed instance tag: another tag, an untagged copy or another instance key are refused', () => {
      const token = encodeTrackingToken(KEY, ids, ['abc'], 'brand-b');
      assert.match(token, /^brand-b\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{16}$/);
      assert.equal(trackingTokenTag(token), 'brand-b');
      assert.equal(trackingTokenTag(encodeTrackingToken(KEY, ids)), '', 'an untagged token (sent before tags)');
      assert.equal(trackingTokenTag('not a token'), undefined);
      assert.deepEqual(decodeTrackingToken(keys, token, ['abc']), ids);
      const cases: Array<[string, string, Keys]> = [
        ['the tag changed', token.replace('brand-b.', 'brand-c.'), keys],
        ['the tag dropped', token.slice('brand-b.'.length), keys],
        ['signed with another instance key', encodeTrackingToken(OLD, ids, ['abc'], 'brand-b'), keys],
        ['an upper-case tag', token.replace('brand-b.', 'Brand-B.'), keys],
      ];
      for (const [what, bad, k] of cases) assert.equal(decodeTrackingToken(k, bad, ['abc']), undefined, what);
      assert.throws(() => encodeTrackingToken(KEY, ids, [], 'Not A Tag'), RangeError);
    });

    it('refuse ids that are not non-negative safe integers', () => {
      assert.throws(() => encodeTrackingToken(KEY, { ...ids, urlId: -1 }), RangeError);
      assert.throws(() => encodeTrackingToken(KEY, { ...ids, urlId: 1.5 }), RangeError);
    });
  });

  describe('VERP addresses', () => {
    it('round-trip through a lower-cased or upper-cased local part', () => {
      const address = verpAddress(KEY, { broadLogId: 123456789, deliveryId: 77 }, 'bounce.example.com');
      assert.match(address, /^bounce\+[a-z2-7]+-[a-z2-7]{16}@bounce\.example\.com$/);
      assert.ok(address.length < 64 + 20, 'short enough for any MTA');
      assert.deepEqual(parseVerpAddress(keys, address), { broadLogId: 123456789, deliveryId: 77 });
      assert.deepEqual(parseVerpAddress(keys, address.toUpperCase()), { broadLogId: 123456789, deliveryId: 77 });
    });

    it('never trust a forged or foreign address', () => {
      const address = verpAddress(KEY, { broadLogId: 1, deliveryId: 1 }, 'b.example');
      const forged = verpAddress(OLD, { broadLogId: 1, deliveryId: 1 }, 'b.example');
      for (const bad of [forged, 'bounce+abc@b.example', 'postmaster@b.example', 'bounce@b.example', address.replace('bounce+', 'bounce+a'), '']) {
        assert.equal(parseVerpAddress(keys, bad), undefined, bad);
      }
    });
  });

  describe('recipient tokens', () => {
    const claims = { recipientId: 31337, purpose: 'unsubscribe' as const, serviceId: 4, expiresAt: 2_000_000_000 };

    it('round-trip and expire', () => {
      const token = encodeRecipientToken(KEY, claims);
      assert.deepEqual(decodeRecipientToken(keys, token, 1_900_000_000), claims);
      assert.equal(decodeRecipientToken(keys, token, 2_000_000_001), undefined, 'expired');
      assert.deepEqual(decodeRecipientToken(keys, encodeRecipientToken(KEY, { ...claims, expiresAt: 0 }), 9e9)?.expiresAt, 0, 'no expiry');
    });

    it('carry the message they came in (delivery and broad log), even at the largest ids, and tokens without one still verify', () => {
      const withMessage = { ...claims, recipientId: 2 ** 40, message: { deliveryId: 2 ** 31, broadLogId: 2 ** 48 } };
      const token = encodeRecipientToken(KEY, withMessage);
      assert.deepEqual(decodeRecipientToken(keys, token, 0), withMessage);
      assert.deepEqual(decodeRecipientToken(keys, encodeRecipientToken(KEY, claims), 0), claims, 'a token without a message has no message');
      const sig = token.split('.')[1];
      const other = encodeRecipientToken(KEY, { ...withMessage, message: { deliveryId: 2 ** 31, broadLogId: 2 ** 48 - 1 } }).split('.')[0];
      assert.equal(decodeRecipientToken(keys, `${other}.${sig}`, 0), undefined, 'the message ids are signed');
    });

    it('are not interchangeable with tracking tokens even with the same key', () => {
      const tracking = encodeTrackingToken(KEY, { deliveryId: 1, broadLogId: 2, urlId: 3 });
      assert.equal(decodeRecipientToken(keys, tracking, 0), undefined);
      assert.equal(decodeTrackingToken(keys, encodeRecipientToken(KEY, claims)), undefined);
    });
  });

  describe('Message-IDs', () => {
    it('identify the broad log row and reject forgeries', () => {
      const id = messageIdFor(KEY, { broadLogId: 987654, deliveryId: 12 }, 'mail.example.com');
      assert.match(id, /^<h\.[0-9a-z]+\.[0-9a-z]+\.[a-z2-7]{16}@mail\.example\.com>$/);
      assert.deepEqual(parseMessageId(keys, id), { broadLogId: 987654, deliveryId: 12 });
      assert.deepEqual(parseMessageId(keys, id.slice(1, -1)), { broadLogId: 987654, deliveryId: 12 }, 'without brackets');
      assert.equal(parseMessageId(keys, id.replace('h.c.', 'h.d.')), undefined);
      assert.equal(parseMessageId(keys, '<CAF=abc@mail.gmail.com>'), undefined);
    });
  });
});
