import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { upsertRecipients } from '../../server/db/repos/recipients.js';
import { changeSubscription, createService } from '../../server/db/repos/services.js';
import { silentLogger } from '../../server/shared/logger.js';
import { encodeRecipientToken } from '../../server/shared/tokens.js';
import { webhookRound } from '../../server/webhooks/runner.js';
import { retryDelaySeconds, verifySignature } from '../../server/webhooks/signature.js';
import { startPublic, type PublicHarness } from '../web/helpers/public.js';

interface Received {
  endpoint: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** An HTTP receiver on 127.0.0.1:0 answering each path with the status its handler chooses. */
async function receiver(
  answer: (path: string, n: number) => { status: number; location?: string },
): Promise<{ server: Server; base: string; got: Received[] }> {
  const got: Received[] = [];
  const counts = new Map<string, number>();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const n = (counts.get(req.url!) ?? 0) + 1;
      counts.set(req.url!, n);
      got.push({ endpoint: req.url!.slice(1), headers: req.headers, body });
      const a = answer(req.url!, n);
      res.writeHead(a.status, a.location ? { location: a.location } : {}).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, got };
}

const SECRET = 'webhook-secret-of-thirty-two-characters-at-least';

describe('webhooks: signed callbacks for bounces, complaints, unsubscribes and clicks, with retries', () => {
  let h: PublicHarness;
  let rx: Awaited<ReturnType<typeof receiver>>;
  let annId: number;
  const round = () => webhookRound({ db: h.db, config: h.instance.config, log: silentLogger(), clock: () => h.clock.now });
  const later = (seconds: number) => (h.clock.now = new Date(h.clock.now.getTime() + seconds * 1000));

  before(async () => {
    rx = await receiver((path, n) =>
      path === '/flaky' && n === 1
        ? { status: 503 }
        : path === '/down'
          ? { status: 500 }
          : path === '/moved'
            ? { status: 302, location: '/crm' }
            : { status: 204 },
    );
    const endpoint = (name: string, events: string[]) =>
      `[[webhooks.endpoints]]\nname = "${name}"\nurl = "${rx.base}/${name}"\nsecret = "${SECRET}"\nevents = ${JSON.stringify(events)}\n`;
    h = await startPublic(
      [
        '[webhooks]\nmaxAttempts = 3\nretryInitialSeconds = 10',
        endpoint('crm', ['bounce', 'complaint', 'unsubscribe', 'click']),
        endpoint('clicks', ['click']),
        endpoint('flaky', ['unsubscribe']),
        endpoint('down', ['complaint']),
        endpoint('moved', ['complaint']),
      ].join('\n'),
    );
    await upsertRecipients(h.db, [{ email: 'ann@example.com' }], new Set(['email']));
    annId = (await h.db.models.Recipient.findOne({ where: { email: 'ann@example.com' } }))!.id;
  });
  after(async () => {
    await h.close();
    rx.server.close();
  });

  it('starts every source after the events that already exist', async () => {
    await h.db.write((t) =>
      h.db.models.TrackingLog.create(
        { hitId: 'old', deliveryId: 1, broadLogId: null, recipientId: null, urlId: null, urlType: 'click', loggedAt: h.clock.now, createdAt: h.clock.now },
        { transaction: t },
      ),
    );
    await round();
    assert.equal(rx.got.length, 0);
  });

  it('posts each new event, signed, to the endpoints that asked for its type', async () => {
    const service = await createService(
      h.db,
      { name: 'news', label: 'News', description: null, doubleOptIn: false, validityDays: null },
      { at: h.clock.now, operatorId: null, operatorLogin: 't', action: 'service_created' },
    );
    await changeSubscription(
      h.db,
      { serviceId: service.id, recipientId: annId, change: 'subscribe', origin: 't' },
      { at: h.clock.now, operatorId: null, operatorLogin: 't', action: 'recipient_subscribed' },
    );
    const token = encodeRecipientToken(h.instance.config.secrets.trackingKey, {
      recipientId: annId,
      purpose: 'unsubscribe',
      serviceId: service.id,
      expiresAt: 0,
    });
    assert.equal(
      (
        await fetch(`${h.base}/u/${token}`, {
          method: 'POST',
          body: 'List-Unsubscribe=One-Click',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        })
      ).status,
      200,
    );
    const now = h.clock.now;
    await h.db.write(async (t) => {
      const d = await h.db.models.Delivery.create({ internalName: 'spring', label: 'Spring', createdAt: now, updatedAt: now }, { transaction: t });
      const url = await h.db.models.TrackingUrl.create(
        { deliveryId: d.id, type: 'click', url: 'https://shop.example.com/', label: 'Shop', createdAt: now },
        { transaction: t },
      );
      await h.db.models.TrackingLog.create(
        { hitId: 'h1', deliveryId: d.id, broadLogId: null, recipientId: annId, urlId: url.id, urlType: 'click', loggedAt: now, createdAt: now },
        { transaction: t },
      );
      await h.db.models.Quarantine.bulkCreate(
        [
          {
            address: 'gone@example.com',
            domain: 'example.com',
            status: 'quarantine',
            failureType: 'hard',
            failureReason: 'user_unknown',
            errorCount: 1,
            createdAt: now,
            updatedAt: now,
          },
          { address: 'angry@example.com', domain: 'example.com', status: 'denylisted', failureReason: 'refused', createdAt: now, updatedAt: now },
        ],
        { transaction: t },
      );
    });
    const result = await round();
    assert.equal(result.queued, 8, 'crm 4, clicks 1, flaky 1, down 1, moved 1');
    const byEndpoint = (name: string) =>
      rx.got.filter((g) => g.endpoint === name).map((g) => JSON.parse(g.body) as { type: string; data: Record<string, unknown> });
    assert.deepEqual(
      byEndpoint('crm')
        .map((e) => e.type)
        .sort(),
      ['bounce', 'click', 'complaint', 'unsubscribe'],
    );
    assert.deepEqual(
      byEndpoint('clicks').map((e) => e.type),
      ['click'],
    );
    const unsubscribe = byEndpoint('crm').find((e) => e.type === 'unsubscribe')!;
    assert.deepEqual(unsubscribe.data, { recipientId: annId, email: 'ann@example.com', serviceId: service.id, service: 'news', origin: 'one-click' });
    assert.equal(byEndpoint('crm').find((e) => e.type === 'click')!.data.url, 'https://shop.example.com/');
    for (const g of rx.got) {
      assert.ok(verifySignature(SECRET, g.body, String(g.headers['herald-signature']), Math.floor(h.clock.now.getTime() / 1000)), 'signature verifies');
      assert.equal(g.headers['herald-event'], (JSON.parse(g.body) as { type: string }).type);
    }
    assert.ok(
      !verifySignature(SECRET, rx.got[0]!.body + ' ', String(rx.got[0]!.headers['herald-signature']), Math.floor(h.clock.now.getTime() / 1000)),
      'a changed body does not verify',
    );
  });

  it('retries a failed callback later, never follows a redirect, and gives up after webhooks.maxAttempts', async () => {
    const flaky = await h.db.models.WebhookDelivery.findOne({ where: { endpoint: 'flaky' } });
    assert.equal(flaky?.status, 'pending');
    assert.equal(flaky?.lastStatus, 503);
    await round();
    assert.equal((await flaky!.reload()).status, 'pending', 'not due yet');
    later(11);
    await round();
    assert.equal((await flaky!.reload()).status, 'sent');
    later(100);
    await round();
    const down = await h.db.models.WebhookDelivery.findOne({ where: { endpoint: 'down' } });
    assert.equal(down?.status, 'failed');
    assert.equal(down?.attempts, 3);
    const moved = await h.db.models.WebhookDelivery.findOne({ where: { endpoint: 'moved' } });
    assert.equal(moved?.lastStatus, 302);
    assert.equal(rx.got.filter((g) => g.endpoint === 'crm').length, 4, 'the redirect target was never called');
    assert.equal((await round()).queued, 0, 'nothing is queued twice');
  });

  it('doubles the retry delay up to its cap (pure)', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 9].map((a) => retryDelaySeconds(a, 30, 3600)),
      [30, 60, 120, 240, 480, 3600],
    );
  });
});
