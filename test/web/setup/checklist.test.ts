import assert from 'node:assert/strict';
import { isDkimRecord, isLocalHost, setupChecklist, type SetupFacts, type SetupItemId } from '../../../server/web/setup/checklist.js';

const READY: SetupFacts = {
  transport: 'smtp',
  relayHost: '',
  bounceDomain: 'bounce.shop.com',
  bounceMx: { found: ['mx.shop.com'] },
  dkim: [{ domain: 'shop.com', selector: 'herald', keyFileFound: true, record: { found: ['v=DKIM1; k=rsa; p=MIIBIjAN'] } }],
  trackingUrl: 'https://t.shop.com',
  trackingProbe: { ok: true, detail: 'HTTP 200' },
  proofSent: true,
  oneTimeAdmins: [],
};

const stateOf = (facts: Partial<SetupFacts>, id: SetupItemId) => {
  const found = setupChecklist({ ...READY, ...facts }).find((i) => i.id === id)!;
  return `${found.state} ${found.detail.code}`;
};

describe('setup checklist', () => {
  it('is all done for a site ready to send, each item linking to where it is fixed', () => {
    const items = setupChecklist(READY);
    assert.deepEqual(
      items.map((i) => `${i.id}:${i.state}`),
      ['smtp:done', 'bounce_domain:done', 'dkim_key:done', 'dkim_record:done', 'tracking:done', 'proof:done', 'admin_password:done'],
    );
    assert.deepEqual(
      items.map((i) => i.fix),
      ['/setup#smtp', '/setup#bounce_domain', '/setup#dkim_key', '/setup#dkim_record', '/setup#tracking', '/deliveries', '/operators'],
    );
  });

  it('says what is missing, and leaves unknown what could not be checked (never done)', () => {
    const cases: Array<[string, Partial<SetupFacts>, SetupItemId, string]> = [
      ['capture transport', { transport: 'capture' }, 'smtp', 'missing transport_capture'],
      ['verify transport', { transport: 'verify' }, 'smtp', 'missing transport_verify'],
      ['through a relay', { relayHost: 'smtp.relay.net' }, 'smtp', 'done smtp_relay'],
      ['the default bounce domain', { bounceDomain: 'bounce.herald.localhost', bounceMx: undefined }, 'bounce_domain', 'missing bounce_reserved'],
      ['a .test bounce domain', { bounceDomain: 'bounce.shop.test' }, 'bounce_domain', 'missing bounce_reserved'],
      ['no MX', { bounceMx: { none: true } }, 'bounce_domain', 'missing bounce_no_mx'],
      ['DNS not answering', { bounceMx: { error: 'ETIMEOUT' } }, 'bounce_domain', 'unknown dns_error'],
      ['DNS checks off', { bounceMx: undefined }, 'bounce_domain', 'unknown dns_off'],
      ['no DKIM key', { dkim: [] }, 'dkim_key', 'missing dkim_none'],
      ['no DKIM key, so no record', { dkim: [] }, 'dkim_record', 'missing dkim_none'],
      ['key file gone', { dkim: [{ ...READY.dkim[0]!, keyFileFound: false }] }, 'dkim_key', 'missing dkim_file'],
      ['record not published', { dkim: [{ ...READY.dkim[0]!, record: { none: true } }] }, 'dkim_record', 'missing dkim_unpublished'],
      [
        'a TXT that is not a DKIM key',
        { dkim: [{ ...READY.dkim[0]!, record: { found: ['google-site-verification=abc'] } }] },
        'dkim_record',
        'missing dkim_unpublished',
      ],
      ['a revoked key (empty p=)', { dkim: [{ ...READY.dkim[0]!, record: { found: ['v=DKIM1; p='] } }] }, 'dkim_record', 'missing dkim_unpublished'],
      ['record not checked', { dkim: [{ ...READY.dkim[0]!, record: undefined }] }, 'dkim_record', 'unknown dns_off'],
      [
        'one of two keys unpublished',
        { dkim: [READY.dkim[0]!, { domain: 'news.shop.com', selector: 's2', keyFileFound: true, record: { none: true } }] },
        'dkim_record',
        'missing dkim_unpublished',
      ],
      ['tracking on localhost', { trackingUrl: 'http://localhost:8081', trackingProbe: undefined }, 'tracking', 'missing tracking_local'],
      ['tracking on 127.0.0.1', { trackingUrl: 'http://127.0.0.1:8081', trackingProbe: undefined }, 'tracking', 'missing tracking_local'],
      ['tracking down', { trackingProbe: { ok: false, detail: 'ECONNREFUSED' } }, 'tracking', 'missing tracking_down'],
      ['no proof', { proofSent: false }, 'proof', 'missing proof_none'],
      ['admin on the one-time password', { oneTimeAdmins: [{ id: 4, login: 'admin' }] }, 'admin_password', 'missing admin_one_time'],
    ];
    for (const [name, facts, id, expected] of cases) assert.equal(stateOf(facts, id), expected, name);
    assert.equal(setupChecklist({ ...READY, oneTimeAdmins: [{ id: 4, login: 'admin' }] }).at(-1)!.fix, '/operators/4', 'links to the operator');
  });

  it('reads DKIM records and local host names', () => {
    const records: Array<[string, boolean]> = [
      ['v=DKIM1; k=rsa; p=MIIB', true],
      ['k=ed25519; p=11qY', true],
      ['v=DKIM1; p= MII B', true],
      ['v=DKIM1; p=', false],
      ['v=spf1 -all', false],
    ];
    for (const [txt, ok] of records) assert.equal(isDkimRecord(txt), ok, txt);
    const hosts: Array<[string, boolean]> = [
      ['localhost', true],
      ['t.herald.localhost', true],
      ['127.0.0.1', true],
      ['[::1]', true],
      ['t.example.com', false],
      ['t.shop.example', true],
      ['192.0.2.10', false],
    ];
    for (const [host, local] of hosts) assert.equal(isLocalHost(host), local, host);
  });
});
