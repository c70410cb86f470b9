import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { checkLink, checkLinks, type LinkCheckOptions } from '../../../server/delivery/checks/link-check.js';

/** A real site on 127.0.0.1:0: /ok answers, /gone is 404, /moved redirects, /no-head refuses HEAD, /slow never answers. */
function site(): Promise<{ server: Server; base: string; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const path = req.url!.split('?')[0];
    if (path === '/slow') return; // never answers
    if (path === '/gone') return res.writeHead(404).end();
    if (path === '/moved') return res.writeHead(301, { location: '/ok' }).end();
    if (path === '/no-head' && req.method === 'HEAD') return res.writeHead(405).end();
    res.writeHead(200, { 'content-type': 'text/plain' }).end(req.method === 'GET' ? 'ok' : undefined);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen })),
  );
}

/** A real forward proxy on 127.0.0.1:0 (absolute-form requests and CONNECT), recording what it was asked. */
function proxy(): Promise<{ server: Server; url: string; asked: string[] }> {
  const asked: string[] = [];
  const server = createServer((req, res) => {
    asked.push(`${req.method} ${req.url}`);
    const target = new URL(req.url!);
    const out = request({ host: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    out.on('error', () => res.writeHead(502).end());
    req.pipe(out);
  });
  server.on('connect', (req, client: Socket) => {
    asked.push(`CONNECT ${req.url}`);
    client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, asked })),
  );
}

const options: LinkCheckOptions = { timeoutMs: 500, proxy: '', level: 'warning', maxLinks: 10 };

describe('link check (pre-send)', () => {
  let s: Awaited<ReturnType<typeof site>>;
  before(async () => (s = await site()));
  after(() => s.server.close());

  const answers: Array<[string, string, boolean, RegExp]> = [
    ['a page that answers 200 to HEAD', '/ok', true, /^200$/],
    ['a redirect (it answers)', '/moved', true, /^301$/],
    ['a 404', '/gone', false, /^404$/],
    ['a site that refuses HEAD, asked again with GET', '/no-head', true, /^200$/],
    ['a site that does not answer in time', '/slow', false, /^no answer within 500 ms$/],
  ];
  for (const [what, path, ok, detail] of answers)
    it(`judges ${what}`, async () => {
      const a = await checkLink(s.base + path, options);
      assert.equal(a.ok, ok);
      assert.match(String(a.status ?? a.error), detail);
    });

  it('judges a closed port as not answering, naming the system error', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const a = await checkLink(`http://127.0.0.1:${port}/`, options);
    assert.equal(a.ok, false);
    assert.match(a.error ?? '', /^ECONNREFUSED/);
  });

  it('gives one issue per link or image that does not answer, at the configured level, and counts what it checked', async () => {
    const issues = await checkLinks(
      [
        { url: `${s.base}/ok`, kind: 'link' },
        { url: `${s.base}/gone`, kind: 'link' },
        { url: `${s.base}/gone?img`, kind: 'image' },
      ],
      { ...options, level: 'error' },
    );
    assert.deepEqual(
      issues.map((i) => [i.rule, i.level, i.message]),
      [
        ['links.broken', 'error', `the link ${s.base}/gone does not answer: HTTP 404`],
        ['links.image_broken', 'error', `the image ${s.base}/gone?img does not answer: HTTP 404`],
        ['links.checked', 'info', '3 link(s) and image(s) checked, 2 not answering'],
      ],
    );
  });

  it('checks at most maxLinks and says how many it left', async () => {
    const urls = [1, 2, 3].map((n) => ({ url: `${s.base}/ok?${n}`, kind: 'link' as const }));
    const issues = await checkLinks(urls, { ...options, maxLinks: 2 });
    assert.deepEqual(
      issues.map((i) => i.message),
      ['1 link(s) were not checked (content.maxLinksChecked = 2)', '2 link(s) and image(s) checked, 0 not answering'],
    );
  });

  it('goes through the configured proxy: http links as absolute requests, https through CONNECT', async () => {
    const p = await proxy();
    try {
      const before = s.seen.length;
      const a = await checkLink(`${s.base}/ok?via-proxy`, { ...options, proxy: p.url });
      assert.equal(a.ok, true);
      assert.deepEqual(p.asked, [`HEAD ${s.base}/ok?via-proxy`]);
      assert.deepEqual(s.seen.slice(before), ['HEAD /ok?via-proxy']);
      const tls = await checkLink('https://www.example.com/', { ...options, proxy: p.url });
      assert.equal(tls.ok, false);
      assert.equal(tls.error, 'the proxy refused the tunnel (403)');
      assert.equal(p.asked[1], 'CONNECT www.example.com:443');
    } finally {
      p.server.close();
    }
  });
});
