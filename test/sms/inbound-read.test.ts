import assert from 'node:assert/strict';
import { readInbound } from '../../server/sms/inbound-read.js';
import { planReceipts } from '../../server/sms/receipt-plan.js';
import type { InboundPdu } from '../../server/sms/smpp-connector.js';
import type { SubmittedMessage } from '../../server/db/repos/sms.js';

const pdu = (overrides: Partial<InboundPdu>): InboundPdu => ({
  connector: 'op',
  source: '33612345678',
  sourceTon: 1,
  destination: '36111',
  esmClass: 0,
  text: '',
  receiptedMessageId: undefined,
  messageState: undefined,
  ...overrides,
});
const STOP = ['STOP', 'ARRET', 'BAJA', 'UNSUBSCRIBE'];

describe('reading what an SMSC sends', () => {
  const receipts: Array<[what: string, p: Partial<InboundPdu>, id: string, status: string | undefined]> = [
    [
      'an appendix B receipt',
      { esmClass: 4, text: 'id:1a2b sub:001 dlvrd:001 submit date:2603011000 done date:2603011001 stat:DELIVRD err:000 text:Hi' },
      '1a2b',
      'delivered',
    ],
    ['an undeliverable receipt', { esmClass: 4, text: 'id:77 sub:001 dlvrd:000 stat:UNDELIV err:001' }, '77', 'undeliverable'],
    ['an expired receipt', { esmClass: 4, text: 'id:78 stat:EXPIRED err:000' }, '78', 'expired'],
    ['a rejected receipt', { esmClass: 4, text: 'id:79 stat:REJECTD' }, '79', 'rejected'],
    ['an intermediate notification (en route)', { esmClass: 0x20, text: 'id:80 stat:ENROUTE' }, '80', undefined],
    ['TLVs, which win over the text', { esmClass: 4, text: 'id:wrong stat:DELIVRD', receiptedMessageId: 'AB12', messageState: 5 }, 'AB12', 'undeliverable'],
  ];
  for (const [what, p, id, status] of receipts)
    it(`reads ${what}`, () => {
      assert.deepEqual(readInbound(pdu(p), STOP, ''), { kind: 'receipt', connector: 'op', messageId: id, status, text: p.text });
    });

  const replies: Array<[text: string, source: Partial<InboundPdu>, number: string, keyword: string | null]> = [
    ['STOP', {}, '+33612345678', 'STOP'],
    ['  stop please', {}, '+33612345678', 'STOP'],
    ['Arrêt.', {}, '+33612345678', 'ARRET'],
    ['baja', { source: '+34612345678', sourceTon: 0 }, '+34612345678', 'BAJA'],
    ['Unsubscribe!', { source: '0612345678', sourceTon: 2 }, '+33612345678', 'UNSUBSCRIBE'],
    ['Can you stop by?', {}, '+33612345678', null],
    ['STOPPED', {}, '+33612345678', null],
  ];
  for (const [text, source, number, keyword] of replies)
    it(`reads the reply ${JSON.stringify(text)} as ${keyword ?? 'one to review'}`, () => {
      const read = readInbound(pdu({ text, ...source }), STOP, 'FR');
      assert.deepEqual(read, { kind: 'reply', connector: 'op', source: number, destination: '36111', text, keyword });
    });
});

describe('the receipt plan', () => {
  const m = (id: number, status: SubmittedMessage['status'] = 'sent', receiptStatus: SubmittedMessage['receiptStatus'] = null): SubmittedMessage => ({
    broadLogId: id,
    deliveryId: 3,
    address: `+336123456${id}`,
    status,
    receiptStatus,
  });
  const matched = new Map<string, SubmittedMessage>([
    ['a', m(10)],
    ['b', m(11)],
    ['c1', m(12)],
    ['c2', m(12)],
    ['d', m(13, 'sent', 'delivered')],
    ['e', m(14, 'failed', 'undeliverable')],
  ]);

  it('sets receipts, fails undeliverable and expired messages, releases delivered numbers, and counts the unknown', () => {
    const plan = planReceipts(
      [
        { messageId: 'a', status: 'delivered', text: '' },
        { messageId: 'b', status: 'undeliverable', text: 'stat:UNDELIV err:001' },
        { messageId: 'c1', status: 'expired', text: '' },
        { messageId: 'c2', status: 'delivered', text: '' },
        { messageId: 'd', status: 'delivered', text: '' },
        { messageId: 'e', status: 'undeliverable', text: '' },
        { messageId: 'zz', status: 'delivered', text: '' },
        { messageId: 'a', status: undefined, text: '' },
      ],
      matched,
    );
    assert.deepEqual(plan.updates, [
      { broadLogId: 10, status: 'delivered' },
      { broadLogId: 11, status: 'undeliverable' },
      { broadLogId: 12, status: 'expired' },
    ]);
    assert.deepEqual(
      plan.failures.map((f) => [f.broadLogId, f.type, f.reason, f.markFailed, f.text]),
      [
        [11, 'hard', 'user_unknown', true, 'stat:UNDELIV err:001'],
        [12, 'soft', 'unreachable', true, 'delivery receipt: expired'],
      ],
    );
    assert.deepEqual(plan.delivered, ['+3361234561' + '0']);
    assert.deepEqual([plan.unmatched, plan.pending], [1, 1]);
  });
});
