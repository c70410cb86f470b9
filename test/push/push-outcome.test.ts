import assert from 'node:assert/strict';
import type { ClaimedMessage } from '../../server/db/repos/mta-queue.js';
import { pushOutcome, type PushAnswer } from '../../server/push/push-outcome.js';

const NOW = new Date('2026-03-01T10:00:00Z');
const M: ClaimedMessage = { id: 7, deliveryId: 3, recipientId: 5, address: 'push:12', emailFormat: 'html', attempts: 0 };

describe('what a push service answer means for its message', () => {
  const cases: Array<[string, PushAnswer, string, string | null, number | null, boolean]> = [
    // title, answer, status, failure type/reason, retry in s, subscription expired
    ['201 Created: sent', { status: 201, body: '' }, 'sent', null, null, false],
    ['404 Not Found: the subscription is gone', { status: 404, body: 'not found' }, 'failed', 'hard/user_unknown', null, true],
    ['410 Gone: the subscription is gone', { status: 410, body: 'expired' }, 'failed', 'hard/user_unknown', null, true],
    [
      '429 with Retry-After longer than the retry delay: waits for it',
      { status: 429, body: '', retryAfterSec: 900 },
      'deferred',
      'soft/unreachable',
      900,
      false,
    ],
    ['503: sent again after the retry delay', { status: 503, body: '' }, 'deferred', 'soft/unreachable', 300, false],
    ['413 payload too large: fails, the subscription kept', { status: 413, body: '' }, 'failed', 'hard/refused', null, false],
    ['403 VAPID refused: fails, the subscription kept', { status: 403, body: '' }, 'failed', 'hard/refused', null, false],
    ['a network error: sent again after the retry delay', { error: 'connect ECONNREFUSED' }, 'deferred', 'soft/unreachable', 300, false],
  ];
  for (const [title, answer, status, failure, retry, expired] of cases)
    it(`reads ${title}`, () => {
      const o = pushOutcome(M, 12, answer, NOW, 300);
      const s = o.settlement;
      assert.equal(s.status, status);
      assert.equal('type' in s ? `${s.type}/${s.reason}` : null, failure);
      assert.equal(s.status === 'deferred' ? (s.nextAttemptAt.getTime() - NOW.getTime()) / 1000 : null, retry);
      assert.equal(Boolean(o.expire), expired);
      if (expired) assert.deepEqual([o.expire!.id, o.failure!.address, o.failure!.type], [12, 'push:12', 'hard']);
    });
});
