import assert from 'node:assert/strict';
import { compileUrl, fillUrl } from '../../server/tracking/destination.js';
import { readParams } from '../../server/tracking/query-params.js';

describe('tracked link destinations', () => {
  const accepted: Array<{ url: string; values: string[]; expected: string }> = [
    { url: 'https://shop.example.com/sale', values: [], expected: 'https://shop.example.com/sale' },
    { url: 'https://shop.example.com', values: [], expected: 'https://shop.example.com/' },
    { url: 'https://shop.example.com/p?id={p1}&src=mail', values: ['42'], expected: 'https://shop.example.com/p?id=42&src=mail' },
    { url: 'https://shop.example.com/p?a={p1}&b={p2}', values: ['x y', 'é&z=1#frag'], expected: 'https://shop.example.com/p?a=x%20y&b=%C3%A9%26z%3D1%23frag' },
    { url: 'https://shop.example.com/p?next={p1}', values: ['https://evil.test/'], expected: 'https://shop.example.com/p?next=https%3A%2F%2Fevil.test%2F' },
    { url: 'https://shop.example.com/p?u={p1}', values: ['/\\evil.test'], expected: 'https://shop.example.com/p?u=%2F%5Cevil.test' },
    {
      url: 'https://shop.example.com/p?u={p1}',
      values: ['\r\nLocation: https://evil.test'],
      expected: 'https://shop.example.com/p?u=%0D%0ALocation%3A%20https%3A%2F%2Fevil.test',
    },
    { url: 'https://bücher.example/ä?q={p1}', values: ['1'], expected: 'https://xn--bcher-kva.example/%C3%A4?q=1' },
    { url: 'http://example.com/a#top', values: [], expected: 'http://example.com/a#top' },
  ];
  for (const c of accepted) {
    it(`redirects ${c.url} with ${JSON.stringify(c.values)} to ${c.expected}`, () => {
      const compiled = compileUrl(c.url);
      assert.ok(compiled.ok, compiled.ok ? '' : compiled.reason);
      const final = fillUrl(compiled.url, c.values);
      assert.equal(final, c.expected);
      assert.equal(new URL(final).host, new URL(c.expected).host, 'the host never changes');
    });
  }

  const refused: Array<{ url: string; reason: RegExp }> = [
    { url: 'javascript:alert(1)', reason: /only http and https/ },
    { url: 'data:text/html,<script>alert(1)</script>', reason: /only http and https/ },
    { url: 'ftp://example.com/file', reason: /only http and https/ },
    { url: '//evil.test/path', reason: /not an absolute URL/ },
    { url: '/relative/path', reason: /not an absolute URL/ },
    { url: 'https://{p1}/x', reason: /only allowed in query-parameter values/ },
    { url: 'https://{p1}.example.com/x', reason: /only allowed in query-parameter values/ },
    { url: 'https://example.com/{p1}', reason: /only allowed in query-parameter values/ },
    { url: 'https://example.com/x#{p1}', reason: /only allowed in query-parameter values/ },
    { url: 'https://example.com/x?a=b{p1}', reason: /whole query-parameter value/ },
    { url: 'https://example.com/x?{p1}=b', reason: /whole query-parameter value/ },
    { url: 'https://user:pw@example.com/', reason: /credentials/ },
    { url: 'https://example.com/a b', reason: /spaces or control/ },
    { url: 'https://example.com/\r\nSet-Cookie: x=1', reason: /spaces or control/ },
    { url: 'https://example.com/?a={p21}', reason: /at most 20/ },
    { url: '', reason: /1 to 4096/ },
  ];
  for (const c of refused) {
    it(`refuses to serve ${JSON.stringify(c.url)}`, () => {
      const compiled = compileUrl(c.url);
      assert.equal(compiled.ok, false);
      assert.match((compiled as { reason: string }).reason, c.reason);
    });
  }

  it('normalizes backslashes the way browsers read them, so the checked host is the one used', () => {
    const compiled = compileUrl('https://shop.example.com\\@evil.test/');
    assert.ok(compiled.ok);
    assert.equal(new URL(fillUrl(compiled.url, [])).host, 'shop.example.com');
  });
});

describe('per-recipient query values (p1…pn)', () => {
  const cases: Array<{ query: string; expected: string[] | undefined }> = [
    { query: '', expected: [] },
    { query: 'p1=42', expected: ['42'] },
    { query: 'p1=a%20b&p2=%C3%A9', expected: ['a b', 'é'] },
    { query: 'p2=b&p1=a', expected: ['a', 'b'] },
    { query: 'p1=a+b', expected: ['a b'] },
    { query: 'p1=first&p1=second', expected: ['first'] },
    { query: 'p1=a&p3=c', expected: ['a'] },
    { query: 'url=https://evil.test&redirect=//evil&p1=x', expected: ['x'] },
    { query: 'p1=', expected: [''] },
    { query: 'p1=%E0%A4%A', expected: undefined },
    { query: 'p21=x', expected: undefined },
  ];
  for (const c of cases) {
    it(`reads ${JSON.stringify(c.query)} as ${JSON.stringify(c.expected)}`, () => assert.deepEqual(readParams(c.query), c.expected));
  }
});
