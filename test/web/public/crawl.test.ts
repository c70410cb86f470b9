import assert from 'node:assert/strict';
import { QueryTypes } from 'sequelize';
import { upsertRecipients } from '../../../server/db/repos/recipients.js';
import { createService } from '../../../server/db/repos/services.js';
import { encodeRecipientToken } from '../../../server/shared/tokens.js';
import { MIGRATION_TABLES } from '../../helpers/tables.js';
import { FormClient, startPublic, type PublicHarness } from '../helpers/public.js';

/** Every public and API route as [method, path], from the router table. */
function routeTable(h: PublicHarness): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const router of h.web.publicRouters)
    for (const layer of router.stack) for (const method of layer.methods) if (method !== 'HEAD') out.push([method, layer.path as string]);
  return out;
}

/** The database as text, minus the one thing a GET may write: an API key's last use. */
async function snapshot(h: PublicHarness): Promise<string> {
  const parts: string[] = [];
  for (const table of MIGRATION_TABLES) {
    const rows = await h.db.sequelize.query<Record<string, unknown>>(`SELECT * FROM "${table}" ORDER BY 1`, { type: QueryTypes.SELECT });
    parts.push(table, JSON.stringify(rows.map((r) => ({ ...r, last_used_at: undefined }))));
  }
  return parts.join('\n');
}

describe('public pages and REST API: CSRF, cross-site requests and safe GETs', () => {
  let h: PublicHarness;
  let values: Record<string, string>;
  let auth: string;
  before(async () => {
    h = await startPublic('[forms]\nmaxSubmitsPerMinute = 10000');
    auth = await h.apiKey(['recipients:write', 'lists:write', 'deliveries:write', 'quarantine:write', 'events:write']);
    await upsertRecipients(h.db, [{ email: 'ann@example.com' }], new Set(['email']));
    const id = (await h.db.models.Recipient.findOne())!.id;
    const service = await createService(
      h.db,
      { name: 'news', label: 'News', description: null, doubleOptIn: true, validityDays: null },
      { at: new Date(), operatorId: null, operatorLogin: 't', action: 'service_created' },
    );
    const key = h.instance.config.secrets.trackingKey;
    values = {
      ':token@/u': encodeRecipientToken(key, { recipientId: id, purpose: 'unsubscribe', serviceId: service.id, expiresAt: 0 }),
      ':token@/p': encodeRecipientToken(key, { recipientId: id, purpose: 'preferences', serviceId: 0, expiresAt: 0 }),
      ':token@/m': 'AQIDBA.AAAAAAAAAAAAAAAAAAAAAA',
      ':id': String(id),
      ':recipientId': String(id),
      ':email': 'ann%40example.com',
      ':address': 'ann%40example.com',
      ':service': 'news',
    };
  });
  after(async () => h.close());

  const concrete = (path: string) => path.replace(/:\w+/g, (p) => values[`${p}@${path.slice(0, 2)}`] ?? values[p] ?? p);

  it('finds the public and API routes in the router table', () => {
    const routes = routeTable(h).map(([m, p]) => `${m} ${p}`);
    for (const expected of [
      'GET /subscribe',
      'POST /subscribe',
      'POST /confirm',
      'POST /u/:token',
      'POST /p/:token',
      'GET /m/:token',
      'POST /api/events',
      'DELETE /api/recipients/:id',
    ])
      assert.ok(routes.includes(expected), expected);
  });

  it('refuses every public form POST without its form token or from another site (403), and changes nothing', async () => {
    const client = new FormClient(h.base);
    await client.get('/subscribe');
    const valid = client.formToken;
    const form = { email: 'x@example.com', services: '1', scope: 'all', t: 'x' };
    const probes: Array<[string, (p: string) => Promise<number>]> = [
      ['no token', async (p) => (await client.submit(p, { ...form, _form: [] as unknown as string })).status],
      ['wrong token', async (p) => (await client.submit(p, { ...form, _form: valid.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) })).status],
      ['no form cookie', async (p) => (await new FormClient(h.base).submit(p, { ...form, _form: valid })).status],
      ['foreign Origin', async (p) => (await client.submit(p, { ...form, _form: valid }, { origin: 'http://evil.test' })).status],
      ['cross-site fetch', async (p) => (await client.submit(p, { ...form, _form: valid }, { 'sec-fetch-site': 'cross-site' })).status],
    ];
    h.clock.now = new Date(h.clock.now.getTime() + 10_000);
    const before = await snapshot(h);
    const posts = routeTable(h).filter(([m, p]) => m === 'POST' && !p.startsWith('/api/'));
    assert.ok(posts.length >= 4);
    for (const [, path] of posts) {
      const target = path === '/confirm' ? '/confirm' : concrete(path);
      for (const [name, probe] of probes) {
        const status = await probe(target);
        // /confirm checks its link before the form: a forged link is "not valid" (404) whatever the form.
        assert.ok(status === 403 || (path === '/confirm' && status === 404), `${name}: POST ${path} → ${status}`);
      }
    }
    assert.equal(await snapshot(h), before);
  });

  it('refuses API calls from another site even with a valid key (403), and without a key (401)', async () => {
    const unsafe = routeTable(h).filter(([m, p]) => p.startsWith('/api/') && !['GET', 'HEAD', 'OPTIONS'].includes(m));
    assert.ok(unsafe.length >= 15);
    const before = await snapshot(h);
    for (const [method, path] of unsafe) {
      const url = `${h.base}${concrete(path)}`;
      const init = { method, headers: { authorization: auth, 'content-type': 'application/json' }, body: method === 'DELETE' ? undefined : '{}' };
      assert.equal((await fetch(url, { ...init, headers: { ...init.headers, origin: 'http://evil.test' } })).status, 403, `Origin: ${method} ${path}`);
      assert.equal(
        (await fetch(url, { ...init, headers: { ...init.headers, 'sec-fetch-site': 'cross-site' } })).status,
        403,
        `Sec-Fetch-Site: ${method} ${path}`,
      );
      assert.equal((await fetch(url, { method, headers: { 'content-type': 'application/json' }, body: init.body })).status, 401, `no key: ${method} ${path}`);
    }
    assert.equal(await snapshot(h), before);
  });

  it('changes nothing in the database when every public and API GET route is crawled', async () => {
    const before = await snapshot(h);
    const gets = routeTable(h)
      .filter(([m]) => m === 'GET')
      .map(([, p]) => concrete(p));
    for (const path of [...gets, '/subscribe?services=news', '/confirm?t=forged', '/u/forged', '/api/deliveries?state=ready']) {
      for (const headers of [{}, { authorization: auth }]) {
        const reply = await fetch(`${h.base}${path}`, { headers: headers as Record<string, string>, redirect: 'manual' });
        assert.ok(reply.status < 500, `${path}: ${reply.status}`);
        if ((reply.headers.get('content-type') ?? '').startsWith('text/html')) {
          assert.ok(['no-referrer', 'same-origin'].includes(reply.headers.get('referrer-policy') ?? ''), `${path}: no referrer leaves for another site`);
          assert.match(reply.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/, path);
          assert.doesNotMatch(reply.headers.get('content-security-policy') ?? '', /script-src[^;]*unsafe-inline/, path);
        }
      }
    }
    assert.equal(await snapshot(h), before);
  });
});
