import assert from 'node:assert/strict';
import { auditLine, auditRefs, type AuditRow } from '../../../server/web/console/audit-sentence.js';
import { translator } from '../../../server/web/i18n/translate.js';

const t = translator('en');
const row = (action: string, target: [string, number] | null, detail: Record<string, unknown> | null, extra: Partial<AuditRow> = {}): AuditRow => ({
  at: new Date('2026-05-01T10:00:00Z'),
  operatorId: 1,
  operatorLogin: 'root',
  action,
  targetType: target?.[0] ?? null,
  targetId: target ? String(target[1]) : null,
  detail: detail ? JSON.stringify(detail) : null,
  ip: '127.0.0.1',
  ...extra,
});

/** A sentence with its links written as [text](href). */
const read = (r: AuditRow, names: Record<string, string>) =>
  auditLine(r, new Map(Object.entries(names)), t)
    .parts.map((p) => (p.href ? `[${p.text}](${p.href})` : p.text))
    .join('');

describe('audit log sentences', () => {
  it('reads each entry as a sentence with links to the operator and the objects concerned', () => {
    const names = {
      'recipient:7': 'ann@example.com',
      'delivery:3': 'Spring sale',
      'delivery:9': 'spring-proof-1',
      'delivery:2': 'Weekly template',
      'workflow:4': 'Weekly',
    };
    const cases: Array<[AuditRow, string]> = [
      [
        row('recipient_subscribed', ['recipient', 7], { service: 'news' }),
        '[root](/operators/1) subscribed [ann@example.com](/recipients/7) to the service news',
      ],
      [row('list_member_added', ['recipient', 7], { list: 'vip' }), '[root](/operators/1) added [ann@example.com](/recipients/7) to the list vip'],
      [
        row('delivery_proof_sent', ['delivery', 3], { name: 'spring', proof: 9, seeds: 2 }),
        '[root](/operators/1) sent a proof of [Spring sale](/deliveries/3): [spring-proof-1](/deliveries/9)',
      ],
      [
        row('delivery_created', ['delivery', 3], { name: 'spring', template: true, templateId: 2 }),
        '[root](/operators/1) created the delivery [Spring sale](/deliveries/3) from the template [Weekly template](/deliveries/2)',
      ],
      [
        row('delivery_created', ['delivery', 3], { name: 'spring', template: null, templateId: null }),
        '[root](/operators/1) created the delivery [Spring sale](/deliveries/3)',
      ],
      [
        row('operator_created', ['operator', 5], { login: 'ann', rights: ['import', 'export'] }),
        '[root](/operators/1) created the operator [ann](/operators/5) with the rights import, export',
      ],
      [row('workflow_paused', ['workflow', 4], { name: 'weekly' }), '[root](/operators/1) paused the workflow [Weekly](/workflows/4)'],
      [row('recipients_exported', ['recipients', 0], null), '[root](/operators/1) exported the recipients'],
      [row('login_failed', ['operator', 1], null, { operatorLogin: null, operatorId: null }), 'A login as [#1](/operators/1) failed (wrong password)'],
      [row('recipient_erased', ['recipient', 8], null), '[root](/operators/1) erased the recipient [#8](/recipients/8) (GDPR)'],
    ];
    for (const [r, sentence] of cases) assert.equal(read(r, names), sentence, r.action);
  });

  it('keeps the whole detail readable, and names the objects to look up', () => {
    const r = row('operator_updated', ['operator', 5], { rights: ['admin'], disabled: false });
    assert.deepEqual(auditLine(r, new Map(), t).details, [
      ['rights', 'admin'],
      ['disabled', 'false'],
    ]);
    assert.deepEqual(auditRefs([r, row('delivery_proof_sent', ['delivery', 3], { proof: 9 }), row('logout', null, null)]), [
      { type: 'operator', id: 5 },
      { type: 'delivery', id: 3 },
      { type: 'delivery', id: 9 },
    ]);
    assert.deepEqual(auditLine(row('login', null, null, { detail: 'not json' }), new Map(), t).details, [['value', 'not json']]);
  });
});
