import assert from 'node:assert/strict';
import { ADOBE_QUARANTINE_POLICY } from '../../server/bounce/quarantine-policy.js';
import { RELEASE_RULES, releaseRule } from '../../server/bounce/quarantine-release.js';
import type { FailureReason } from '../../server/shared/glossary.js';

const DAY = 86_400_000;
const NOW = new Date('2026-06-01T00:00:00Z');
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);

const CASES: Array<{ case: string; reason?: FailureReason; created: number; lastError: number | null; success?: number; rule: string | null }> = [
  { case: 'last soft error 11 days ago', created: 40, lastError: 11, rule: 'soft_error_aged' },
  { case: 'last soft error 9 days ago', created: 40, lastError: 9, rule: null },
  { case: 'a success after the last error', created: 40, lastError: 2, success: 1, rule: 'success_after_error' },
  { case: 'a success before the last error', created: 40, lastError: 2, success: 3, rule: null },
  { case: 'a full mailbox failing for 31 days', reason: 'mailbox_full', created: 31, lastError: 1, rule: 'mailbox_full_aged' },
  { case: 'a full mailbox failing for 29 days', reason: 'mailbox_full', created: 29, lastError: 1, rule: null },
  { case: 'a full mailbox with its last error 12 days ago', reason: 'mailbox_full', created: 20, lastError: 12, rule: 'soft_error_aged' },
];

describe('quarantine release rules (Adobe)', () => {
  for (const c of CASES) {
    it(`${c.rule ? `releases (${c.rule})` : 'keeps'} an address "with errors": ${c.case}`, () => {
      const facts = {
        failureReason: c.reason ?? 'unreachable',
        createdAt: ago(c.created),
        lastErrorAt: c.lastError === null ? null : ago(c.lastError),
        lastSuccessAt: c.success === undefined ? null : ago(c.success),
      };
      assert.equal(releaseRule(facts, NOW, ADOBE_QUARANTINE_POLICY), c.rule);
    });
  }

  it('follows the policy numbers the quarantine uses: a shorter reset releases sooner', () => {
    const facts = { failureReason: 'unreachable' as const, createdAt: ago(40), lastErrorAt: ago(3), lastSuccessAt: null };
    assert.equal(releaseRule(facts, NOW, ADOBE_QUARANTINE_POLICY), null);
    assert.equal(releaseRule(facts, NOW, { ...ADOBE_QUARANTINE_POLICY, resetAfterMs: 2 * DAY }), 'soft_error_aged');
    assert.deepEqual(
      RELEASE_RULES.map((r) => r.id),
      ['success_after_error', 'soft_error_aged', 'mailbox_full_aged'],
    );
  });
});
