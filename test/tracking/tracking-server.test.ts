import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { encodeTrackingToken } from '../../server/shared/tokens.js';
import { PIXEL } from '../../server/tracking/responses.js';
import { createInstance, secret, type TestInstance } from '../helpers/instance.js';
import { clickLink, openLink, pushDefinition, rawGet, rawSocket, shippedHits, startTestTracker, withTracking, type TestTracker } from '../helpers/tracking.js';

const DELIVERY = {
  deliveryId: 7,
  validityEnd: null,
  urls: [
    { id: 70, type: 'open', url: '', label: 'open' },
    { id: 71, type: 'click', url: 'https://shop.example.com/sale?item={p1}&src=mail', label: 'Sale' },
    { id: 72, type: 'opt_out', url: 'https://www.example.com/unsubscribe', label: 'Unsubscribe' },
    { id: 73, type: 'mirror', url: 'https://www.example.com/m', label: 'Mirror' },
    { id: 74, type: 'click', url: 'https://shop.example.com/plain', label: 'Plain' },
  ],
};
const OTHER = { deliveryId: 8, validityEnd: null, urls: [{ id: 81, type: 'click', url: 'https://evil.test/phish', label: 'other' }] };

describe('tracking server (HTTP)', () => {
  let instance: TestInstance;
  let tracker: TestTracker;
  let key: string;
  const ids = (urlId: number, broadLogId = 1001, deliveryId = 7) => ({ deliveryId, broadLogId, urlId });

  before(async () => {
    instance = createInstance();
    key = instance.config.secrets.trackingKey;
    tracker = await startTestTracker(instance.config, instance.paths.dataDir);
    for (const definition of [DELIVERY, OTHER]) assert.equal((await pushDefinition(tracker.base, tracker.config, definition)).status, 200);
  });
  after(async () => {
    await tracker.stop();
    instance.cleanup();
  });

  it('refuses URL pushes and log shipping without the API key', async () => {
    assert.equal((await pushDefinition(tracker.base, tracker.config, DELIVERY, secret())).status, 401);
    assert.equal((await fetch(`${tracker.base}/api/urls`, { method: 'POST', body: '{}' })).status, 401);
    assert.equal((await fetch(`${tracker.base}/api/hits`)).status, 401);
    assert.equal((await fetch(`${tracker.base}/api/hits`, { headers: { authorization: `Bearer ${key}` } })).status, 401, 'the link key is not the API key');
  });

  const badDefinitions: Array<{ case: string; body: unknown; reason: RegExp }> = [
    {
      case: 'a javascript: URL',
      body: { deliveryId: 9, validityEnd: null, urls: [{ id: 1, type: 'click', url: 'javascript:alert(1)', label: '' }] },
      reason: /only http and https/,
    },
    {
      case: 'a personalized host',
      body: { deliveryId: 9, validityEnd: null, urls: [{ id: 1, type: 'click', url: 'https://{p1}/x', label: '' }] },
      reason: /query-parameter values/,
    },
    {
      case: 'an unknown type',
      body: { deliveryId: 9, validityEnd: null, urls: [{ id: 1, type: 'web', url: 'https://a.example/', label: '' }] },
      reason: /type must be/,
    },
    { case: 'a duplicate id', body: { deliveryId: 9, validityEnd: null, urls: [DELIVERY.urls[1], DELIVERY.urls[1]] }, reason: /duplicate id/ },
    { case: 'a bad validity end', body: { deliveryId: 9, validityEnd: 'soon', urls: [] }, reason: /validityEnd/ },
  ];
  for (const bad of badDefinitions) {
    it(`refuses a definition with ${bad.case} as a whole`, async () => {
      const res = await pushDefinition(tracker.base, tracker.config, bad.body);
      assert.equal(res.status, 400);
      assert.match(((await res.json()) as { error: string }).error, bad.reason);
    });
  }

  it('redirects a signed click to the stored URL with the recipient value URL-encoded, and logs the hit', async () => {
    const { next } = await shippedHits(tracker.base, tracker.config);
    const res = await fetch(clickLink(tracker.base, key, ids(71), ['blue shoes&x=1']), {
      redirect: 'manual',
      headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/125.0' },
    });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), 'https://shop.example.com/sale?item=blue%20shoes%26x%3D1&src=mail');
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(res.headers.get('set-cookie'), null, 'no person cookie unless configured');
    const { hits } = await shippedHits(tracker.base, tracker.config, next);
    assert.equal(hits.length, 1);
    assert.deepEqual(
      { ...hits[0], id: undefined, t: undefined },
      { id: undefined, t: undefined, d: 7, b: 1001, u: 71, k: 'click', ip: '127.0.0.1', ua: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/125.0' },
    );
    assert.match(String(hits[0]!.id), /^[A-Za-z0-9_-]{16}\.[0-9a-z]+$/);
  });

  it('answers a signed open with the 43-byte GIF that no cache keeps, and logs the hit', async () => {
    const { next } = await shippedHits(tracker.base, tracker.config);
    const res = await fetch(openLink(tracker.base, key, ids(70)));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/gif');
    assert.match(res.headers.get('cache-control') ?? '', /no-store.*no-cache/);
    const body = Buffer.from(await res.arrayBuffer());
    assert.equal(body.length, 43);
    assert.deepEqual(body, PIXEL);
    assert.equal(body.subarray(0, 6).toString(), 'GIF89a');
    const { hits } = await shippedHits(tracker.base, tracker.config, next);
    assert.deepEqual(
      hits.map((h) => [h.k, h.u]),
      [['open', 70]],
    );
  });

  it('logs opens of a delivery it has no definitions for yet (the MAC proves them), but never redirects its clicks', async () => {
    assert.equal((await fetch(openLink(tracker.base, key, ids(1, 5, 999)))).status, 200);
    assert.equal((await fetch(clickLink(tracker.base, key, ids(1, 5, 999)), { redirect: 'manual' })).status, 404);
  });

  it('answers HEAD like GET but logs nothing (link checkers are not people)', async () => {
    const { next } = await shippedHits(tracker.base, tracker.config);
    const head = await rawGet(tracker.base, new URL(clickLink(tracker.base, key, ids(74))).pathname, {}, 'HEAD');
    assert.equal(head.status, 302);
    assert.equal((await shippedHits(tracker.base, tracker.config, next)).hits.length, 0);
  });

  it('sends Referrer-Policy: no-referrer on every response', async () => {
    const paths = [
      new URL(clickLink(tracker.base, key, ids(74))).pathname,
      new URL(openLink(tracker.base, key, ids(70))).pathname,
      '/r/test',
      '/r/not-a-token',
      '/o/not-a-token',
      '/',
      '/api/hits',
    ];
    for (const path of paths) assert.equal((await rawGet(tracker.base, path)).headers['referrer-policy'], 'no-referrer', path);
    const malformed = await rawSocket(tracker.base, 'GET /r/x HTTP/1.1\r\nHost: a\r\nBad Header\r\n\r\n');
    assert.match(malformed, /^HTTP\/1\.1 400 Bad Request\r\nReferrer-Policy: no-referrer\r\n/);
    const post = await fetch(`${tracker.base}/r/test`, { method: 'POST' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('referrer-policy'), 'no-referrer');
  });

  it('reports its health on /r/test for the watchdog and load balancers', async () => {
    const res = await fetch(`${tracker.base}/r/test`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {
      status: 'ok',
      module: 'tracking',
      version: (await import('../../server/shared/version.js')).VERSION,
      deliveries: 2,
      hitLog: 'ok',
      bufferedBytes: 0,
    });
  });

  describe('open-redirect and tampering probes', () => {
    const valid = () => new URL(clickLink(tracker.base, key, ids(71), ['42']));
    const probes: Array<{ case: string; path: () => string }> = [
      { case: 'a bare /r/', path: () => '/r/' },
      { case: 'a protocol-relative path', path: () => '//evil.test' },
      { case: 'a protocol-relative token', path: () => '/r//evil.test' },
      { case: 'an encoded protocol-relative token', path: () => '/r/%2F%2Fevil.test' },
      { case: 'https:evil', path: () => '/r/https:evil.test' },
      { case: 'backslashes', path: () => '/r/\\\\evil.test' },
      { case: 'encoded backslashes', path: () => '/r/%5C%5Cevil.test' },
      { case: 'a javascript: URL', path: () => '/r/javascript:alert(1)' },
      { case: 'a data: URL', path: () => '/r/data:text/html,<script>alert(1)</script>' },
      { case: 'a url= parameter without a token', path: () => '/r/?url=https://evil.test&redirect=//evil.test&dest=https:evil.test' },
      { case: 'CRLF injection', path: () => '/r/%0d%0aLocation:%20https://evil.test' },
      { case: 'a NUL byte', path: () => '/r/%00https://evil.test' },
      { case: 'IDN dots', path: () => '/r/evil%E3%80%82test' },
      { case: 'path traversal after a valid token', path: () => `${valid().pathname}/../../evil.test${valid().search}` },
      { case: 'a tampered MAC', path: () => valid().pathname.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) + valid().search },
      { case: 'a tampered recipient value', path: () => `${valid().pathname}?p1=43` },
      { case: 'an extra signed-looking value', path: () => `${valid().pathname}${valid().search}&p2=https%3A%2F%2Fevil.test` },
      { case: 'a missing recipient value', path: () => valid().pathname },
      { case: 'a token signed with another key', path: () => new URL(clickLink(tracker.base, secret(), ids(71), ['42'])).pathname + '?p1=42' },
      { case: "another delivery's URL id", path: () => new URL(clickLink(tracker.base, key, { deliveryId: 7, broadLogId: 1, urlId: 81 })).pathname },
      { case: 'an unknown delivery', path: () => new URL(clickLink(tracker.base, key, { deliveryId: 404, broadLogId: 1, urlId: 71 })).pathname },
      { case: 'the open URL id on /r/', path: () => new URL(clickLink(tracker.base, key, ids(70))).pathname },
      { case: 'the mirror URL id on /r/', path: () => new URL(clickLink(tracker.base, key, ids(73))).pathname },
      { case: 'a click token on /o/', path: () => `/o/${encodeTrackingToken(key, ids(71))}` },
      { case: 'an unsigned Adobe-style link', path: () => '/r/?id=h617791,71ffa3,71ffa8&p1=https://evil.test' },
    ];
    for (const probe of probes) {
      it(`answers ${probe.case} with the plain 404 page`, async () => {
        const res = await rawGet(tracker.base, probe.path());
        assert.equal(res.status, 404);
        assert.equal(res.headers.location, undefined);
        assert.match(res.body, /<h1>Not found<\/h1>/);
        assert.doesNotMatch(res.body, /evil|script|Location/i, 'nothing of the request is echoed');
      });
    }

    const steered: Array<{ case: string; values: string[]; extra?: string }> = [
      {
        case: 'extra url/redirect/dest parameters',
        values: ['42'],
        extra: '&url=https://evil.test&redirect=//evil.test&dest=https:evil.test&next=%2F%2Fevil.test',
      },
      { case: 'a protocol-relative value', values: ['//evil.test'] },
      { case: 'a backslash value', values: ['/\\evil.test'] },
      { case: 'a javascript: value', values: ['javascript:alert(1)'] },
      { case: 'a data: value', values: ['data:text/html,x'] },
      { case: 'a value with @ and #', values: ['x@evil.test#@shop.example.com'] },
      { case: 'a CRLF value', values: ['\r\nLocation: https://evil.test'] },
      { case: 'an encoded value', values: ['%2F%2Fevil.test'] },
    ];
    for (const c of steered) {
      it(`keeps the stored host for a signed link with ${c.case}`, async () => {
        const res = await fetch(clickLink(tracker.base, key, ids(71), c.values) + (c.extra ?? ''), { redirect: 'manual' });
        assert.equal(res.status, 302);
        const location = new URL(res.headers.get('location')!);
        assert.equal(location.origin, 'https://shop.example.com');
        assert.equal(location.pathname, '/sale');
        assert.equal(location.searchParams.get('item'), c.values[0]);
        assert.deepEqual([...location.searchParams.keys()], ['item', 'src']);
      });
    }
  });
});

describe('tracking server: expiry, cookies and restarts', () => {
  let instance: TestInstance;
  let key: string;
  const now = Date.parse('2026-06-01T12:00:00Z');
  const expiring = { ...DELIVERY, validityEnd: '2026-06-01T11:00:00.000Z' };
  before(() => {
    instance = createInstance();
    key = instance.config.secrets.trackingKey;
  });
  after(() => instance.cleanup());

  it("sends an expired delivery's clicks to the configured expiration URL and logs nothing", async () => {
    const tracker = await startTestTracker(instance.config, join(instance.dir, 'a'), { expirationUrl: 'https://www.example.com/expired' }, () => now);
    try {
      await pushDefinition(tracker.base, tracker.config, expiring);
      const res = await fetch(clickLink(tracker.base, key, { deliveryId: 7, broadLogId: 1, urlId: 71 }, ['42']), { redirect: 'manual' });
      assert.equal(res.status, 302);
      assert.equal(res.headers.get('location'), 'https://www.example.com/expired');
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
      assert.equal((await fetch(openLink(tracker.base, key, { deliveryId: 7, broadLogId: 1, urlId: 70 }))).status, 200, 'the pixel still answers');
      assert.equal((await shippedHits(tracker.base, tracker.config)).hits.length, 0);
    } finally {
      await tracker.stop();
    }
  });

  it('takes reloaded settings for the next clicks, on the connections already open', async () => {
    const tracker = await startTestTracker(instance.config, join(instance.dir, 'r'), { expirationUrl: 'https://www.example.com/expired' }, () => now);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      await pushDefinition(tracker.base, tracker.config, expiring);
      const sockets = new Set<unknown>();
      const click = () =>
        new Promise<string | undefined>((resolve, reject) => {
          const req = request(clickLink(tracker.base, key, { deliveryId: 7, broadLogId: 1, urlId: 74 }), { agent }, (res) => {
            sockets.add(res.socket);
            res.resume();
            res.on('end', () => resolve(res.headers.location));
          });
          req.on('error', reject);
          req.end();
        });
      assert.equal(await click(), 'https://www.example.com/expired');
      const result = await tracker.server.reload(withTracking(tracker.config, { expirationUrl: 'https://www.example.com/sale-is-over' }));
      assert.ok(result.applied.includes('tracking.expirationUrl'));
      assert.equal(await click(), 'https://www.example.com/sale-is-over');
      assert.equal(sockets.size, 1, 'the same keep-alive connection served both');
    } finally {
      agent.destroy();
      await tracker.stop();
    }
  });

  it('shows a plain "link expired" page when no expiration URL is configured', async () => {
    const tracker = await startTestTracker(instance.config, join(instance.dir, 'b'), {}, () => now);
    try {
      await pushDefinition(tracker.base, tracker.config, expiring);
      const res = await fetch(clickLink(tracker.base, key, { deliveryId: 7, broadLogId: 1, urlId: 74 }), { redirect: 'manual' });
      assert.equal(res.status, 410);
      assert.match(await res.text(), /Link expired/);
    } finally {
      await tracker.stop();
    }
  });

  it('sets a first-party person cookie on clicks when personCookie is on, and logs it', async () => {
    const tracker = await startTestTracker(instance.config, join(instance.dir, 'c'), { personCookie: true, publicUrl: 'https://t.example.com' });
    try {
      await pushDefinition(tracker.base, tracker.config, DELIVERY);
      const first = await fetch(clickLink(tracker.base, key, { deliveryId: 7, broadLogId: 1, urlId: 74 }), { redirect: 'manual' });
      const cookie = first.headers.get('set-cookie')!;
      assert.match(cookie, /^hpid=[0-9a-f-]{36}; Max-Age=31536000; Path=\/; HttpOnly; SameSite=Lax; Secure$/);
      const again = await fetch(clickLink(tracker.base, key, { deliveryId: 7, broadLogId: 1, urlId: 74 }), {
        redirect: 'manual',
        headers: { cookie: cookie.split(';')[0]! },
      });
      assert.equal(again.headers.get('set-cookie'), null);
      const { hits } = await shippedHits(tracker.base, tracker.config);
      assert.deepEqual(
        hits.map((h) => h.s),
        [cookie.slice(5, 41), cookie.slice(5, 41)],
      );
    } finally {
      await tracker.stop();
    }
  });

  it('keeps accepting links signed with the previous key after a key rotation, and only those', async () => {
    const old = instance.config.secrets.trackingKey;
    const secrets = { ...instance.config.secrets, trackingKey: secret(), previousTrackingKey: old };
    const rotated = await startTestTracker({ ...instance.config, secrets }, join(instance.dir, 'rotated'));
    try {
      await pushDefinition(rotated.base, rotated.config, DELIVERY);
      const click = (signingKey: string) => fetch(clickLink(rotated.base, signingKey, { deliveryId: 7, broadLogId: 1, urlId: 74 }), { redirect: 'manual' });
      assert.equal((await click(secrets.trackingKey)).status, 302, 'signed with the new key');
      assert.equal((await click(old)).status, 302, 'signed with the previous key: mail sent before the rotation');
      assert.equal((await click(secret())).status, 404, 'signed with any other key');
    } finally {
      await rotated.stop();
    }
    const unrotated = await startTestTracker({ ...instance.config, secrets: { ...secrets, previousTrackingKey: '' } }, join(instance.dir, 'unrotated'));
    try {
      await pushDefinition(unrotated.base, unrotated.config, DELIVERY);
      const res = await fetch(clickLink(unrotated.base, old, { deliveryId: 7, broadLogId: 1, urlId: 74 }), { redirect: 'manual' });
      assert.equal(res.status, 404, 'once the previous key is removed, its links stop working');
    } finally {
      await unrotated.stop();
    }
  });

  it('keeps its URL definitions and its hits across a restart', async () => {
    const dir = join(instance.dir, 'd');
    const first = await startTestTracker(instance.config, dir);
    await pushDefinition(first.base, first.config, DELIVERY);
    await fetch(clickLink(first.base, key, { deliveryId: 7, broadLogId: 5, urlId: 74 }), { redirect: 'manual' });
    await first.stop();
    const second = await startTestTracker(instance.config, dir);
    try {
      const res = await fetch(clickLink(second.base, key, { deliveryId: 7, broadLogId: 6, urlId: 74 }), { redirect: 'manual' });
      assert.equal(res.headers.get('location'), 'https://shop.example.com/plain');
      const { hits } = await shippedHits(second.base, second.config);
      assert.deepEqual(
        hits.map((h) => h.b),
        [5, 6],
      );
    } finally {
      await second.stop();
    }
  });
});
