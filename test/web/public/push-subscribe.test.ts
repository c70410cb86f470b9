import assert from 'node:assert/strict';
import { createECDH, randomBytes } from 'node:crypto';
import { upsertRecipients } from '../../../server/db/repos/recipients.js';
import { encodeRecipientToken } from '../../../server/shared/tokens.js';
import { vapidKeys } from '../../../server/shared/vapid.js';
import { FormClient, startPublic, type PublicHarness } from '../helpers/public.js';

/** The public web push subscription: page, scripts under the strict CSP, and the stored subscription. */

const browserKeys = () => {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') };
};

describe('web push subscription on the public side', () => {
  let h: PublicHarness;
  let annId: number;
  const link = (recipientId: number, purpose: 'preferences' | 'unsubscribe' = 'preferences') =>
    `/push/${encodeRecipientToken(h.instance.config.secrets.trackingKey, { recipientId, purpose, serviceId: 0, expiresAt: 0 })}`;

  before(async () => {
    h = await startPublic('[forms]\nmaxSubmitsPerMinute = 1000');
    await upsertRecipients(h.db, [{ email: 'ann@example.com', firstName: 'Ann' }], new Set(['email', 'firstName']));
    annId = (await h.db.models.Recipient.findOne({ where: { email: 'ann@example.com' } }))!.id;
  });
  after(async () => h.close());

  it('serves the page with the VAPID public key, and the service worker and page scripts from its own origin', async () => {
    const client = new FormClient(h.base);
    const page = await client.get(link(annId));
    assert.equal(page.status, 200);
    assert.ok(page.text.includes(`data-key="${vapidKeys(h.instance.config.secrets.vapidPrivateKey).publicKey}"`));
    assert.match(page.text, /<script src="\/push\/subscribe\.js" defer><\/script>/);
    assert.doesNotMatch(page.text, /<script>/, 'no inline script');
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'/);
    const sw = await fetch(`${h.base}/push/sw.js`);
    assert.equal(sw.status, 200);
    assert.match(sw.headers.get('content-type') ?? '', /^application\/javascript/);
    assert.equal(sw.headers.get('service-worker-allowed'), '/push/');
    assert.match(await sw.text(), /showNotification/);
    const js = await fetch(`${h.base}/push/subscribe.js`);
    assert.match(await js.text(), /pushManager\.subscribe/);
  });

  it('stores the subscription for the recipient of the link; the same browser again updates it', async () => {
    const client = new FormClient(h.base);
    await client.get(link(annId));
    h.clock.now = new Date(h.clock.now.getTime() + 10_000);
    const keys = browserKeys();
    const first = await client.submit(link(annId), { endpoint: 'https://push.example.net/send/abc', ...keys });
    assert.equal(first.status, 201, first.text);
    const again = await client.submit(link(annId), { endpoint: 'https://push.example.net/send/abc', ...browserKeys() });
    assert.equal(again.status, 200, again.text);
    const rows = await h.db.models.PushSubscription.findAll({ where: { recipientId: annId } });
    assert.deepEqual(
      rows.map((r) => [r.endpoint, r.status]),
      [['https://push.example.net/send/abc', 'active']],
    );
    assert.notEqual(rows[0]!.p256dh, keys.p256dh, 'the keys of the last subscription are kept');
  });

  const bad: Array<[string, Record<string, string>, RegExp]> = [
    ['an http endpoint', { endpoint: 'http://push.example.net/x', ...browserKeys() }, /https/],
    ['no endpoint', { ...browserKeys() }, /not a URL/],
    [
      'a key that is no P-256 point',
      {
        endpoint: 'https://push.example.net/x',
        p256dh: Buffer.concat([Buffer.from([5]), randomBytes(64)]).toString('base64url'),
        auth: randomBytes(16).toString('base64url'),
      },
      /p256dh/,
    ],
    ['a short auth secret', { endpoint: 'https://push.example.net/x', p256dh: browserKeys().p256dh, auth: randomBytes(8).toString('base64url') }, /auth/],
  ];
  for (const [title, form, reason] of bad)
    it(`refuses ${title} with its reason and stores nothing`, async () => {
      const client = new FormClient(h.base);
      await client.get(link(annId));
      h.clock.now = new Date(h.clock.now.getTime() + 10_000);
      const before = await h.db.models.PushSubscription.count();
      const res = await client.submit(link(annId), form);
      assert.equal(res.status, 400);
      assert.match(res.text, reason);
      assert.equal(await h.db.models.PushSubscription.count(), before);
    });

  it('refuses a post without the form token, and a link of another purpose', async () => {
    const client = new FormClient(h.base);
    await client.get(link(annId));
    const forged = await client.submit(link(annId), { _form: 'x', endpoint: 'https://push.example.net/y', ...browserKeys() });
    assert.equal(forged.status, 403);
    assert.equal((await fetch(`${h.base}${link(annId, 'unsubscribe')}`)).status, 404);
  });
});
