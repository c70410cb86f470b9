import assert from 'node:assert/strict';
import { normalizeBounceText } from '../../server/bounce/normalize-text.js';
import type { Database } from '../../server/db/connect.js';
import { operatorRulePage, operatorRules, operatorRulesVersion, saveOperatorRule } from '../../server/db/repos/bounce-rules.js';
import { createInstance, openTestDb, type TestInstance } from '../helpers/instance.js';

/** Operators' rules on a real SQLite database: one rule per normalized text, its first sample kept, pages newest first. */
describe('operator rules repository', function () {
  this.timeout(60_000);
  let instance: TestInstance;
  let db: Database;
  before(async () => {
    instance = createInstance();
    db = await openTestDb(instance);
  });
  after(async () => {
    await db.close();
    instance.cleanup();
  });

  const first = '550 5.1.1 <ann@example.org> mailbox closed (ref 12)';
  const second = '550 5.1.1 <bob@example.com> mailbox closed (ref 9931)';
  const save = (sample: string, type: 'hard' | 'soft', at: string) =>
    db.write((transaction) =>
      saveOperatorRule(
        db,
        { normalized: normalizeBounceText(sample), sample, type, reason: type === 'hard' ? 'user_unknown' : 'mailbox_full', bounceTextId: null, by: 'admin' },
        new Date(at),
        transaction,
      ),
    );

  it('requalifies the rule of a text that normalizes alike, keeping the sample it was made from', async () => {
    assert.equal(normalizeBounceText(first), normalizeBounceText(second), 'the two samples read the same');
    const before = await operatorRulesVersion(db);
    const id = await save(first, 'hard', '2026-03-01T10:00:00Z');
    const afterFirst = await operatorRulesVersion(db);
    assert.equal(await save(second, 'soft', '2026-03-02T10:00:00Z'), id);
    const rules = await operatorRules(db);
    assert.deepEqual(
      rules.map((r) => [r.id, r.type, r.reason, r.sample]),
      [[`qualified.${id}`, 'soft', 'mailbox_full', first]],
    );
    assert.equal(new Set([before, afterFirst, await operatorRulesVersion(db)]).size, 3, 'each change gives a new version, so modules reload');
  });

  it('pages the rules newest first', async () => {
    for (let i = 0; i < 4; i++) await save(`554 rejected by policy number ${'x'.repeat(i + 1)}`, 'hard', `2026-03-0${i + 3}T10:00:00Z`);
    const one = await operatorRulePage(db, undefined, 3);
    assert.equal(one.rows.length, 3);
    assert.ok(one.next !== undefined);
    const two = await operatorRulePage(db, one.next, 3);
    const ids = [...one.rows, ...two.rows].map((r) => Number(r.id.split('.')[1]));
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => b - a),
    );
    assert.equal(ids.length, 5);
    assert.equal(two.next, undefined);
  });
});
