import assert from 'node:assert/strict';
import type { Database } from '../../server/db/connect.js';
import { listenHttp, type HttpServer } from '../../server/shared/http-server.js';
import { silentLogger } from '../../server/shared/logger.js';
import { createWebApp } from '../../server/web/app.js';
import { createViews } from '../../server/web/views.js';
import { createInstance, openTestDb, type TestInstance } from '../helpers/instance.js';

describe('web module (HTTP)', () => {
  let instance: TestInstance;
  let db: Database;
  let http: HttpServer;
  let base: string;
  before(async () => {
    instance = createInstance();
    db = await openTestDb(instance);
    http = await listenHttp(createWebApp({ config: instance.config, db, log: silentLogger(), views: createViews() }).app.callback(), '127.0.0.1', 0);
    base = `http://127.0.0.1:${http.port}`;
  });
  after(async () => {
    await http.close();
    await db.close();
    instance.cleanup();
  });

  it('answers /health with the database status', async () => {
    const res = await fetch(`${base}/health`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(((await res.json()) as { database: string }).database, 'ok');
  });

  it('sends the security headers on every response', async () => {
    for (const path of ['/', '/login', '/health', '/missing', '/static/herald.css']) {
      const res = await fetch(`${base}${path}`);
      assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'self'.*frame-ancestors 'none'/, path);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(res.headers.get('referrer-policy'), ['/', '/login'].includes(path) ? 'same-origin' : 'no-referrer', path); // console pages (/ leads to /login)
      assert.equal(res.headers.get('x-frame-options'), 'DENY', path);
    }
  });

  it('renders a friendly 404 page and a JSON error for API clients, with no internals', async () => {
    const page = await fetch(`${base}/no/such/page`);
    assert.equal(page.status, 404);
    const html = await page.text();
    assert.match(html, /<h1>Page not found<\/h1>/);
    assert.doesNotMatch(html, /at \w+ \(|node_modules|\/work\//);
    const api = await fetch(`${base}/no/such/page`, { headers: { accept: 'application/json' } });
    assert.deepEqual(await api.json(), { error: { code: 'HTTP_404', message: 'Page not found' } });
  });

  it('answers 405 for a method a route does not take', async () => {
    const res = await fetch(`${base}/health`, { method: 'DELETE' });
    assert.equal(res.status, 405);
  });

  it('serves the stylesheet from memory and nothing outside views/static', async () => {
    const css = await fetch(`${base}/static/herald.css`);
    assert.equal(css.status, 200);
    assert.match(css.headers.get('content-type') ?? '', /text\/css/);
    for (const probe of ['/static/..%2Fhome.eta', '/static/%2e%2e%2fpackage.json', '/static/../package.json'])
      assert.equal((await fetch(`${base}${probe}`)).status, 404, probe);
  });
});
