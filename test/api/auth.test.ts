import assert from 'node:assert/strict';
import { createApiKey, revokeApiKey } from '../../server/db/repos/api-keys.js';
import { generateApiKey, hasScope, parseApiKey, SCOPES } from '../../server/api/api-keys.js';
import { TokenBuckets } from '../../server/api/rate-limit.js';
import { validate } from '../../server/api/schema.js';
import { api, startPublic, type PublicHarness } from '../web/helpers/public.js';

describe('REST API keys, scopes, limits and errors', () => {
  let h: PublicHarness;
  before(async () => (h = await startPublic('[api]\nratePerSecond = 5\nburst = 5\nbodyMaxKb = 4')));
  after(async () => h.close());

  it('serves its OpenAPI 3.1 document without a key, listing every route with its scope', async () => {
    const res = await api(h.base, undefined, 'GET', '/openapi.json');
    assert.equal(res.status, 200);
    assert.equal(res.json.openapi, '3.1.0');
    const operations = Object.entries(res.json.paths as Record<string, Record<string, { 'x-scope'?: string }>>).flatMap(([path, ops]) =>
      Object.entries(ops).map(([m, op]) => `${m.toUpperCase()} ${path} ${op['x-scope']}`),
    );
    for (const expected of [
      'POST /events events:write',
      'GET /events/{id} events:read',
      'DELETE /recipients/{id} recipients:write',
      'PUT /recipients/by-email/{email} recipients:write',
      'POST /deliveries/{id}/start deliveries:write',
      'DELETE /quarantines/{address} quarantine:write',
    ]) {
      assert.ok(operations.includes(expected), expected);
    }
  });

  const refusals: Array<[string, () => Promise<string | undefined>, number, string]> = [
    ['no key', async () => undefined, 401, 'UNAUTHORIZED'],
    ['a malformed key', async () => 'Bearer nonsense', 401, 'UNAUTHORIZED'],
    ['an unknown key', async () => `Bearer ${generateApiKey().key}`, 401, 'UNAUTHORIZED'],
    [
      'a revoked key',
      async () => {
        const auth = await h.apiKey(['recipients:read'], 'to-revoke');
        await revokeApiKey(h.db, 'to-revoke', new Date());
        await new Promise((r) => setTimeout(r, 0));
        return auth;
      },
      401,
      'UNAUTHORIZED',
    ],
    [
      'an expired key',
      async () => {
        const { key, prefix, secretHash } = generateApiKey();
        await createApiKey(
          h.db,
          { name: 'old', prefix, secretHash, scopes: ['recipients:read'], operatorId: null, expiresAt: new Date(h.clock.now.getTime() - 1000) },
          new Date(),
        );
        return `Bearer ${key}`;
      },
      401,
      'UNAUTHORIZED',
    ],
    ['a key without the scope', async () => h.apiKey(['events:write']), 403, 'SCOPE_MISSING'],
  ];
  for (const [what, auth, status, code] of refusals) {
    it(`refuses ${what} with ${status} and the error shape`, async () => {
      const res = await api(h.base, await auth(), 'GET', '/recipients/1');
      assert.equal(res.status, status);
      assert.equal(res.json.error.code, code);
      assert.equal(typeof res.json.error.message, 'string');
      if (status === 401) assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/);
    });
  }

  it("keeps members' personal data behind recipients:read: lists:read alone reads lists, not who is in them", async () => {
    const writer = await h.apiKey(['lists:write', 'recipients:write']);
    const list = await api(h.base, writer, 'POST', '/lists', { name: 'vip', label: 'VIP' });
    const ann = await api(h.base, writer, 'PUT', '/recipients/by-email/ann.vip@example.com', { firstName: 'Ann' });
    assert.equal((await api(h.base, writer, 'PUT', `/lists/${list.json.id}/members/${ann.json.id}`)).status, 200);

    const listsOnly = await h.apiKey(['lists:read']);
    assert.equal((await api(h.base, listsOnly, 'GET', '/lists')).json.lists[0].members, 1, 'the lists and their counts');
    const refused = await api(h.base, listsOnly, 'GET', `/lists/${list.json.id}/members`);
    assert.equal(refused.status, 403);
    assert.equal(refused.json.error.code, 'SCOPE_MISSING');
    assert.match(refused.json.error.message, /recipients:read/);
    assert.doesNotMatch(JSON.stringify(refused.json), /ann\.vip/);

    const both = await h.apiKey(['lists:read', 'recipients:read']);
    const members = await api(h.base, both, 'GET', `/lists/${list.json.id}/members`);
    assert.equal(members.status, 200);
    assert.equal(members.json.members[0].email, 'ann.vip@example.com');
    const document = (await api(h.base, undefined, 'GET', '/openapi.json')).json;
    assert.deepEqual(document.paths['/lists/{id}/members'].get.security, [{ apiKey: ['lists:read', 'recipients:read'] }]);
  });

  it('lets a :write scope read too', () => {
    assert.ok(hasScope(['recipients:write'], 'recipients:read'));
    assert.ok(!hasScope(['recipients:read'], 'recipients:write'));
    assert.ok(!hasScope(['events:write'], 'recipients:read'));
    assert.equal(SCOPES.length, 11);
    assert.ok(parseApiKey(generateApiKey().key));
  });

  it('answers 429 with Retry-After once a key exceeds its rate, other keys unaffected, and refills with the clock', async () => {
    const busy = await h.apiKey(['recipients:read']);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await api(h.base, busy, 'GET', '/recipients/999')).status);
    assert.deepEqual(statuses, [404, 404, 404, 404, 404, 429, 429, 429], 'a burst of 5, then refused while the clock stands still');
    const limited = await api(h.base, busy, 'GET', '/recipients/999');
    assert.equal(limited.status, 429);
    assert.equal(limited.json.error.code, 'RATE_LIMITED');
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    assert.equal((await api(h.base, await h.apiKey(['recipients:read']), 'GET', '/recipients/999')).status, 404);
    h.clock.now = new Date(h.clock.now.getTime() + 400);
    const refilled: number[] = [];
    for (let i = 0; i < 3; i++) refilled.push((await api(h.base, busy, 'GET', '/recipients/999')).status);
    assert.deepEqual(refilled, [404, 404, 429], '0.4 s at 5 per second gives two requests back');
  });

  it('keeps one error shape for validation, unknown routes, wrong methods, bodies too large or not JSON, and cross-site requests', async () => {
    const auth = await h.apiKey(['recipients:write', 'events:write']);
    const invalid = await api(h.base, auth, 'POST', '/recipients', { email: 'x@example.com', nickname: 'x', firstName: 3 });
    assert.equal(invalid.status, 400);
    assert.equal(invalid.json.error.code, 'VALIDATION_FAILED');
    assert.deepEqual(invalid.json.error.details.map((d: { path: string }) => d.path).sort(), ['firstName', 'nickname']);
    const cases: Array<[string, Promise<{ status: number; json: { error: { code: string } } }>, number, string]> = [
      ['unknown route', api(h.base, auth, 'GET', '/nothing-here'), 404, 'NOT_FOUND'],
      ['wrong method', api(h.base, auth, 'PATCH', '/events'), 405, 'METHOD_NOT_ALLOWED'],
      ['body too large', api(h.base, auth, 'POST', '/events', { type: 'x', email: 'a@example.com', ctx: { pad: 'x'.repeat(8000) } }), 413, 'BODY_TOO_LARGE'],
      ['not JSON', api(h.base, auth, 'POST', '/events', 'type=x', { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['broken JSON', api(h.base, auth, 'POST', '/events', '{"type":', { 'content-type': 'application/json' }), 400, 'BAD_REQUEST'],
      [
        'cross-site browser request',
        api(h.base, auth, 'POST', '/events', { type: 'x', email: 'a@example.com' }, { 'sec-fetch-site': 'cross-site' }),
        403,
        'CROSS_SITE',
      ],
      ['foreign Origin', api(h.base, auth, 'DELETE', '/recipients/1', undefined, { origin: 'http://evil.test' }), 403, 'CROSS_SITE'],
    ];
    for (const [what, call, status, code] of cases) {
      const res = await call;
      assert.equal(res.status, status, what);
      assert.equal(res.json.error.code, code, what);
    }
  });

  it('never shows SQL, stack frames or paths in an error', async () => {
    const auth = await h.apiKey(['recipients:write', 'deliveries:write', 'events:write']);
    const probes = [
      api(h.base, auth, 'GET', "/recipients/1'%20OR%201=1"),
      api(h.base, auth, 'PATCH', '/recipients/1', { fields: { "a'; DROP TABLE recipients; --": 'x' } }),
      api(h.base, auth, 'POST', '/deliveries', {
        internalName: 'x',
        label: 'x',
        subject: 's',
        fromAddress: 'a@example.com',
        target: { kind: 'all', filter: { field: 'email', op: 'eq', value: { $or: 1 } } },
      }),
      api(h.base, auth, 'POST', '/events', { type: 'a', email: 'a@example.com', ctx: [] }),
    ];
    for (const res of await Promise.all(probes)) {
      assert.ok(res.status >= 400 && res.status < 500, String(res.status));
      assert.doesNotMatch(JSON.stringify(res.json), /SELECT|SQLITE_|\bat \S+ \(|\/work\/|node_modules/);
    }
  });

  it('validates the schema subset it publishes (pure)', () => {
    const schema = {
      type: 'object',
      properties: { n: { type: 'integer', minimum: 1 }, s: { type: 'string', enum: ['a'] }, l: { type: 'array', items: { type: 'boolean' }, maxItems: 1 } },
      required: ['n'],
    } as const;
    assert.deepEqual(validate(schema, { n: 1, s: 'a', l: [true] }), []);
    assert.deepEqual(
      validate(schema, { n: 0, s: 'b', l: [true, 1] }).map((p) => p.path),
      ['n', 's', 'l'],
    );
    assert.deepEqual(
      validate(schema, {}).map((p) => p.message),
      ['required'],
    );
  });

  it('refills a token bucket with time (pure)', () => {
    const b = new TokenBuckets(2, 2);
    assert.ok(b.take('k', 0).ok && b.take('k', 0).ok);
    assert.deepEqual(b.take('k', 0), { ok: false, retryAfterSeconds: 1 });
    assert.ok(b.take('k', 500).ok);
  });
});
