import assert from 'node:assert/strict';
import { EN as CATALOGUE } from '../../server/web/i18n/en.js';
import { definitionOf, INDICATOR_GROUPS } from '../../server/web/reports/indicator-definitions.js';

const EN: Record<string, string> = CATALOGUE;

describe('definitions of the report figures', () => {
  it('gives every figure a name, a definition in words and a formula, under a unique anchor', () => {
    const ids = INDICATOR_GROUPS.flatMap((g) => g.items.map((i) => i.id));
    assert.equal(new Set(ids).size, ids.length, 'anchors are unique');
    for (const group of INDICATOR_GROUPS) {
      assert.ok(EN[group.title], group.title);
      for (const item of group.items) {
        assert.ok(EN[item.label], `${item.id}: its name ${item.label}`);
        assert.ok((EN[`definition.${item.id}.text`] ?? '').length > 20, `${item.id}: a definition in words`);
        assert.ok((EN[`definition.${item.id}.formula`] ?? '').length > 5, `${item.id}: a formula`);
      }
    }
  });

  it('defines every figure of the delivery summary and the operations reports', () => {
    const labels = [
      'reports.target',
      'reports.excluded',
      'reports.to_deliver',
      'reports.processed',
      'reports.sent',
      'reports.failed',
      'reports.new_quarantines',
      'reports.recipient_opens',
      'reports.estimated_opens',
      'reports.total_opens',
      'reports.recipient_clicks',
      'reports.person_clicks',
      'reports.total_clicks',
      'reports.reactivity',
      'reports.forwards',
      'reports.opt_outs',
      'reports.mirror_views',
      'reports.soft_errors',
      'reports.hard_errors',
      'reports.error_rate',
      'reports.subscribed',
      'reports.net',
    ];
    assert.deepEqual(
      labels.filter((l) => !definitionOf(l)),
      [],
    );
    assert.match(EN['definition.recipient_opens.text']!, /A click counts as an open/);
  });
});
