import assert from 'node:assert/strict';
import { eventProblems, requestHash } from '../../server/events/event-input.js';
import { eventStatus } from '../../server/events/event-status.js';
import { periodEnd, periodOf, periodValidityEnd } from '../../server/events/period.js';
import type { BroadLogStatus } from '../../server/shared/glossary.js';

const event = (over: Record<string, unknown> = {}) => ({ type: 'order', email: 'a@example.com', ctx: { id: 1 }, emailFormat: 'html' as const, ...over });

describe('transactional events: pure rules', () => {
  it('derives the event status from its message', () => {
    const cases: Array<[BroadLogStatus | null, string]> = [
      ['pending', 'pending'],
      ['sent', 'sent'],
      ['failed', 'delivery_error'],
      ['ignored', 'delivery_error'],
      ['cancelled', 'expired'],
      [null, 'expired'],
    ];
    for (const [message, expected] of cases) assert.equal(eventStatus('routed', message ? { status: message } : null), expected, String(message));
    assert.equal(eventStatus('not_covered', null), 'not_covered');
  });

  it('groups events by UTC month and lets a month send until its end plus the validity days', () => {
    assert.equal(periodOf(new Date('2026-12-31T23:59:59Z')), '2026-12');
    assert.equal(periodEnd('2026-12').toISOString(), '2027-01-01T00:00:00.000Z');
    assert.equal(periodValidityEnd('2026-02', 5).toISOString(), '2026-03-06T00:00:00.000Z');
  });

  it('checks type, address, context size and depth, and the idempotency key', () => {
    const limits = { ctxMaxBytes: 100 };
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{}, []],
      [{ type: 'Order' }, ['type']],
      [{ type: 'herald-subscription-confirm' }, ['type']],
      [{ email: 'a@@example.com' }, ['email']],
      [{ ctx: { big: 'x'.repeat(200) } }, ['ctx']],
      [{ ctx: { a: { b: { c: { d: { e: { f: { g: { h: 1 } } } } } } } } }, []],
      [{ ctx: { a: { b: { c: { d: { e: { f: { g: { h: { i: 1 } } } } } } } } } }, ['ctx']],
      [{ idempotencyKey: 'é' }, ['idempotencyKey']],
      [{ idempotencyKey: 'k'.repeat(100) }, []],
    ];
    for (const [over, paths] of cases)
      assert.deepEqual(
        eventProblems(event(over), limits).map((p) => p.path),
        paths,
        JSON.stringify(over).slice(0, 60),
      );
  });

  it('hashes a request the same whatever the order of its context keys, and differently for another event', () => {
    assert.equal(requestHash(event({ ctx: { a: 1, b: [1, { c: 2, d: 3 }] } })), requestHash(event({ ctx: { b: [1, { d: 3, c: 2 }], a: 1 } })));
    assert.notEqual(requestHash(event({ ctx: { a: 1 } })), requestHash(event({ ctx: { a: 2 } })));
    assert.notEqual(requestHash(event()), requestHash(event({ email: 'b@example.com' })));
  });
});
