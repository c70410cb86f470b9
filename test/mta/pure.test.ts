import assert from 'node:assert/strict';
import { globToRegExp, limitsFor, type DomainRule } from '../../server/mta/domain-rules.js';
import { nextAttemptAt, type RetryPolicy } from '../../server/mta/retry-schedule.js';
import { settleOutcome, type Classify } from '../../server/mta/settle.js';
import { outcomeFromError, type Outcome } from '../../server/mta/smtp-outcome.js';

const rule = (match: string, extra: Partial<DomainRule> = {}): DomainRule => ({
  match,
  shared: false,
  maxConnections: 10,
  maxMessagesPerConnection: 100,
  messagesPerHour: 0,
  ...extra,
});

describe('MTA rules (pure)', () => {
  describe('domain rules', () => {
    const rules = [rule('*.google.com', { shared: true, maxConnections: 20 }), rule('yahoo.*', { messagesPerHour: 3600 }), rule('*')];
    const cases: Array<[string, string[], string, string]> = [
      ['gmail.com', ['gmail-smtp-in.l.google.com'], '*.google.com', 'rule:*.google.com'],
      ['googlemail.com', ['alt1.gmail-smtp-in.l.google.com.'], '*.google.com', 'rule:*.google.com'],
      ['Yahoo.FR', [], 'yahoo.*', 'domain:yahoo.fr'],
      ['example.org', ['mx.example.org'], '*', 'domain:example.org'],
    ];
    for (const [domain, mx, match, key] of cases) {
      it(`applies "${match}" to ${domain} (key ${key})`, () => {
        const limits = limitsFor(rules, domain, mx);
        assert.equal(limits.rule.match, match);
        assert.equal(limits.key, key);
      });
    }
    it('turns * and ? into an anchored, case-insensitive pattern with dots taken literally', () => {
      assert.ok(globToRegExp('mx?.example.com').test('mx1.example.com'));
      assert.ok(!globToRegExp('mx?.example.com').test('mx12.example.com'));
      assert.ok(!globToRegExp('a.com').test('abcom'));
    });
  });

  describe('retry schedule', () => {
    const policy: RetryPolicy = { quickDelaysSec: [10, 30], periodMinutes: 60, count: 5 };
    const now = new Date('2026-03-01T10:00:00Z');
    const minutes = (d: Date | undefined) => (d ? Math.round((d.getTime() - now.getTime()) / 60_000) : undefined);
    const cases: Array<[number, Date | null, number | undefined]> = [
      [1, null, 0], // 10 s
      [2, null, 1], // 30 s
      [3, null, 60],
      [7, null, 60],
      [8, null, 1440],
      [20, null, 1440],
      [3, new Date('2026-03-01T10:30:00Z'), undefined],
    ];
    for (const [failures, validity, expected] of cases) {
      it(`after ${failures} failure(s)${validity ? ' near the validity end' : ''} retries in ${expected ?? 'never'} minutes`, () => {
        const got = minutes(nextAttemptAt(policy, failures, now, validity, 12345));
        if (expected === undefined) assert.equal(got, undefined);
        else assert.ok(got !== undefined && Math.abs(got - expected) <= Math.max(1, expected * 0.1), `got ${got}`);
      });
    }
    it('jitters long retries by at most 10%, the same way for the same message', () => {
      const a = nextAttemptAt(policy, 5, now, null, 42)!;
      assert.equal(a.getTime(), nextAttemptAt(policy, 5, now, null, 42)!.getTime());
      const spread = new Set(Array.from({ length: 50 }, (_, i) => nextAttemptAt(policy, 5, now, null, i)!.getTime()));
      assert.ok(spread.size > 10, 'different messages spread out');
      for (const t of spread) assert.ok(Math.abs(t - now.getTime() - 3_600_000) <= 360_000);
    });
  });

  describe('settling an SMTP outcome', () => {
    const classify: Classify = ({ status, text }) =>
      status === '5.1.1'
        ? { type: 'hard', reason: 'user_unknown', rule: 'user-unknown', qualified: true }
        : /quota|4\.2\.2/.test(text)
          ? { type: 'soft', reason: 'mailbox_full', rule: 'mailbox-full', qualified: true }
          : { type: 'hard', reason: 'refused', rule: 'catch-all', qualified: false };
    const policy: RetryPolicy = { quickDelaysSec: [10], periodMinutes: 60, count: 1 };
    const now = new Date('2026-03-01T10:00:00Z');
    const ctx = { id: 7, deliveryId: 3, address: 'ann@example.com', attempts: 0, validityEnd: new Date('2026-03-05T00:00:00Z') };
    const rejected = (code: number | undefined, text: string, temporary: boolean): Outcome => ({
      kind: 'rejected',
      code,
      status: /(\d\.\d\.\d)/.exec(text)?.[1],
      text,
      phase: 'rcpt',
      temporary,
      sessionFailure: false,
    });

    it('records a 2xx as sent', () => {
      assert.deepEqual(settleOutcome({ kind: 'sent', response: '250 ok' }, ctx, classify, policy, now).settlement, {
        id: 7,
        deliveryId: 3,
        status: 'sent',
        response: '250 ok',
        address: 'ann@example.com',
      });
    });
    it('fails a 550 5.1.1 at once as hard user unknown', () => {
      const s = settleOutcome(rejected(550, '550 5.1.1 User unknown', false), ctx, classify, policy, now);
      assert.equal(s.settlement.status, 'failed');
      assert.equal(s.failure?.type, 'hard');
      assert.equal(s.failure?.reason, 'user_unknown');
    });
    it('defers a 452 4.2.2 to its next attempt as soft mailbox full', () => {
      const s = settleOutcome(rejected(452, '452 4.2.2 Mailbox over quota', true), ctx, classify, policy, now);
      assert.equal(s.settlement.status, 'deferred');
      assert.equal(s.settlement.status === 'deferred' && s.settlement.nextAttemptAt.getTime(), now.getTime() + 10_000);
    });
    it('never fails a 421 or a network error as hard, even when the rules say hard', () => {
      for (const o of [
        rejected(421, '421 4.7.0 try later', true),
        outcomeFromError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNECTION', command: 'CONN' })),
      ]) {
        const s = settleOutcome(o, ctx, classify, policy, now);
        assert.equal(s.failure?.type, 'soft');
        assert.equal(s.settlement.status, 'deferred');
      }
    });
    it('defers a connection failure to the domain back-off without counting an attempt or blaming the address', () => {
      const refused = outcomeFromError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNECTION', command: 'CONN' }));
      const backoffEnd = new Date(now.getTime() + 5_000);
      const s = settleOutcome(refused, { ...ctx, attempts: 2 }, classify, policy, now, { connectionRetryAt: backoffEnd });
      assert.equal(s.settlement.status, 'deferred');
      if (s.settlement.status !== 'deferred') return;
      assert.deepEqual([s.settlement.nextAttemptAt, s.settlement.countAttempt], [backoffEnd, false]);
      assert.equal(s.failure?.connection, true, 'the failure is the domain’s: the address’s quarantine is left alone');
      const late = settleOutcome(refused, { ...ctx, validityEnd: new Date(now.getTime() + 1_000) }, classify, policy, now, { connectionRetryAt: backoffEnd });
      assert.equal(late.settlement.status, 'failed', 'not past the validity');
    });
    it('reads a 421 at any stage as the domain closing the session, and any other 4xx as the message refused', () => {
      const cases: Array<{ command: string; code: number; session: boolean }> = [
        { command: 'EHLO', code: 421, session: true },
        { command: 'MAIL FROM', code: 421, session: true },
        { command: 'RCPT TO', code: 421, session: true },
        { command: 'DATA', code: 421, session: true },
        { command: 'RCPT TO', code: 451, session: false },
        { command: 'RCPT TO', code: 450, session: false },
        { command: 'DATA', code: 452, session: false },
      ];
      for (const c of cases) {
        const o = outcomeFromError(
          Object.assign(new Error('refused'), { responseCode: c.code, response: `${c.code} 4.7.0 try later`, command: c.command }),
          true,
        );
        assert.equal(o.kind === 'rejected' && o.sessionFailure, c.session, `${c.code} at ${c.command}`);
        assert.equal(o.kind === 'rejected' && o.temporary, true, `${c.code} at ${c.command} is temporary`);
      }
    });
    it('fails a soft failure whose next retry would outlive the validity', () => {
      const s = settleOutcome(
        rejected(452, '452 4.2.2 quota', true),
        { ...ctx, attempts: 5, validityEnd: new Date(now.getTime() + 3_600_000) },
        classify,
        policy,
        now,
      );
      assert.equal(s.settlement.status, 'failed');
      assert.equal(s.failure?.type, 'soft');
    });
  });
});
