import assert from 'node:assert/strict';
import { simpleParser } from 'mailparser';
import { buildMessage, type MessageRecipient } from '../../server/delivery/build-message.js';
import type { ContentOwner, MessageContent } from '../../server/delivery/message-content.js';
import { ISSUE_CATALOGUES, issueText } from '../../server/delivery/issue-texts/index.js';
import { planContent } from '../../server/delivery/template/content.js';
import { catalogueTranslator } from '../../server/shared/i18n/catalogue.js';
import { TemplateSyntaxError } from '../../server/delivery/template/parse.js';
import { compileRenderer } from '../../server/delivery/template/renderer.js';
import { compile, content, log, recipient } from '../helpers/delivery.js';

/** Builds one message and reads it back with mailparser (an independent MIME parser). */
async function message(c: Partial<MessageContent & ContentOwner>, r: Partial<MessageRecipient>) {
  const built = buildMessage(compile(content(c)), recipient(r), log(), new Date('2026-03-01T10:00:00Z'));
  assert.ok(built.ok, built.ok ? '' : built.error);
  const parsed = await simpleParser(built.raw, { skipHtmlToText: true, skipTextToHtml: true, skipTextLinks: true });
  const head = built.raw.toString('utf8').split('\r\n\r\n')[0]!;
  return { parsed, head, html: String(parsed.html || ''), text: parsed.text ?? '', subject: parsed.subject ?? '' };
}

const unsubscribe = '<a href="<%= links.unsubscribe %>">Unsubscribe</a>';
const html = (body: string) => ({ html: `<html><body>${body}${unsubscribe}</body></html>` });

describe('personalization escaping', () => {
  const cases: Array<[string, Partial<MessageContent & ContentOwner>, Partial<MessageRecipient>, (m: Awaited<ReturnType<typeof message>>) => void]> = [
    [
      'HTML text: markup from recipient data is shown, not run',
      html('<p><%= recipient.firstName %></p>'),
      { firstName: '<script>alert(1)</script>' },
      (m) => {
        assert.match(m.html, /<p>&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/p>/);
        assert.doesNotMatch(m.html, /<script>/);
      },
    ],
    [
      'double-quoted attribute: a quote cannot close the attribute',
      html('<p title="<%= recipient.firstName %>">x</p>'),
      { firstName: '" onmouseover="alert(1)' },
      (m) => assert.match(m.html, /<p title="&quot; onmouseover=&quot;alert\(1\)">/),
    ],
    [
      'single-quoted attribute: a quote cannot close the attribute',
      html("<p title='<%= recipient.firstName %>'>x</p>"),
      { firstName: "' onclick='alert(1)" },
      (m) => assert.match(m.html, /<p title='&#39; onclick=&#39;alert\(1\)'>/),
    ],
    [
      'URL query value (untracked image): encoded, host and path unchanged',
      html('<img src="https://cdn.example.com/p.png?n=<%= recipient.firstName %>">'),
      { firstName: 'x"><script>/../@evil.test?#a&b=c' },
      (m) => {
        const src = /<img src="([^"]+)"/.exec(m.html)![1]!.replace(/&amp;/g, '&');
        const url = new URL(src);
        assert.equal(url.host, 'cdn.example.com');
        assert.equal(url.pathname, '/p.png');
        assert.equal(url.searchParams.get('n'), 'x"><script>/../@evil.test?#a&b=c');
      },
    ],
    [
      'subject header: CR/LF cannot start a new header',
      {},
      { firstName: 'Ann\r\nBcc: victim@evil.test\r\n\r\nbody' },
      (m) => {
        assert.equal((m.head.match(/^Subject:/gim) ?? []).length, 1);
        assert.doesNotMatch(m.head, /^Bcc:/im);
        assert.equal(m.subject, 'Hello Ann Bcc: victim@evil.test body');
      },
    ],
    [
      'extra header: a line break in data cannot add a header',
      { headers: { 'X-Ref': 'ref-<%= recipient.firstName %>' } },
      { firstName: 'x\nX-Injected: 1\u2028X-Other: 2' },
      (m) => {
        assert.doesNotMatch(m.head, /^X-Injected:|^X-Other:/im);
        assert.equal(m.parsed.headers.get('x-ref'), 'ref-x X-Injected: 1 X-Other: 2');
      },
    ],
    [
      'non-ASCII subject: encoded words that decode to the text',
      {},
      { firstName: 'Zoë — 東京' },
      (m) => {
        assert.match(m.head, /^Subject: =\?UTF-8\?B\?/m);
        assert.equal(m.subject, 'Hello Zoë — 東京');
      },
    ],
    ['text part: data is plain text (no HTML escaping needed)', {}, { firstName: '<b>Ann & co</b>' }, (m) => assert.match(m.text, /^Hi <b>Ann & co<\/b>$/m)],
    [
      'explicit raw form in HTML: the author asked for markup',
      html('<div><%~ recipient.fields.snippet %></div>'),
      { fields: { snippet: '<b>bold</b>' } },
      (m) => assert.match(m.html, /<div><b>bold<\/b><\/div>/),
    ],
    [
      'template syntax in data is never evaluated',
      html('<p><%= recipient.firstName %> <%= recipient.lastName %></p>'),
      { firstName: '<%= process.exit(1) %>', lastName: '${7*7} {{7*7}}' },
      (m) => assert.match(m.html, /<p>&lt;%= process.exit\(1\) %&gt; \$\{7\*7\} \{\{7\*7\}\}<\/p>/),
    ],
    [
      'missing values render empty, never "null" or "undefined"',
      html('<p>[<%= recipient.lastName %>][<%= recipient.fields.nothing %>]</p>'),
      { lastName: null },
      (m) => assert.match(m.html, /<p>\[\]\[\]<\/p>/),
    ],
    [
      "Herald's marker characters in data are dropped (no forged links)",
      html('<p><%= recipient.firstName %></p>'),
      { firstName: 'a\uE0020\uE00Fb\uE003c' },
      (m) => assert.match(m.html, /<p>a0bc<\/p>/),
    ],
  ];
  for (const [title, c, r, check] of cases) {
    it(title, async () => check(await message(c, r)));
  }

  it('runs templates where process, require, eval and the data’s constructors are out of reach', async () => {
    const probe = (expr: string) => `<p><%= (() => { try { return ${expr}; } catch (e) { return 'blocked'; } })() %></p>`;
    const m = await message(
      html(
        [
          probe('typeof process'),
          probe('typeof require'),
          probe("eval('1')"),
          probe("(function () {}).constructor('return 1')()"),
          probe("recipient['constructor'].constructor('return process')()"),
          probe("it['constructor'].constructor('return process')()"),
          probe('typeof globalThis.__in'),
        ].join(''),
      ),
      {},
    );
    assert.match(m.html, /<p>undefined<\/p><p>undefined<\/p><p>blocked<\/p><p>blocked<\/p><p>blocked<\/p><p>blocked<\/p><p>undefined<\/p>/);
  });

  it('keeps prototypes clean whatever the field names', async () => {
    const fields = JSON.parse('{"__proto__":{"polluted":"yes"},"constructor":"x"}') as Record<string, string>;
    await message(html('<p><%= recipient.fields.constructor %></p>'), { fields });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});

describe('template checks at analysis', () => {
  const issue = (html: string, text = '', headers: Record<string, string> = {}) =>
    planContent({ subject: 'x', html, text, headers, track: true, openPixel: false }).issues.map((i) => i.rule);
  const cases: Array<[string, string, string, string | undefined]> = [
    ['a personalized host', '<a href="https://<%= recipient.fields.shop %>/x">x</a>', '', 'links.host'],
    ['a whole personalized URL', '<a href="<%= recipient.fields.url %>">x</a>', '', 'links.host'],
    ['a host built from a prefix', '<a href="https://shop<%= recipient.fields.tld %>/x">x</a>', '', 'links.host'],
    ['a personalized host in the text part', '', 'Go to https://<%= recipient.id %>.example.com/x', 'links.host'],
    ['a personalized path', '<a href="https://shop.example.com/<%= recipient.id %>">x</a>', '', 'links.path'],
    ['a personalized fragment', '<a href="https://shop.example.com/p#<%= recipient.id %>">x</a>', '', 'links.path'],
    ['a personalized parameter name', '<a href="https://shop.example.com/p?<%= recipient.id %>=1">x</a>', '', 'links.path'],
    ['code inside a link', '<a href="https://shop.example.com/p?x=<% if (true) { %>1<% } %>">x</a>', '', 'links.code'],
    ['personalization in a script', '<script>var id = "<%= recipient.id %>";</script>', '', 'content.context'],
    ['personalization in an event handler', '<p onclick="go(<%= recipient.id %>)">x</p>', '', 'content.context'],
    ['personalization in a style attribute', '<p style="color:<%= recipient.fields.color %>">x</p>', '', 'content.context'],
    ['an unquoted attribute', '<p title=<%= recipient.id %>>x</p>', '', 'content.context'],
    ['personalization between attributes', '<p <%= recipient.fields.attr %>>x</p>', '', 'content.context'],
    ['a link with a space', '<a href="https://shop.example.com/a b">x</a>', '', 'links.invalid'],
    ['a link with credentials', '<a href="https://user:pw@shop.example.com/">x</a>', '', 'links.invalid'],
    [
      'a link with more personalized parameters than a tracking server takes',
      `<a href="https://shop.example.com/?${Array.from({ length: 21 }, (_, i) => `a${i}=<%= recipient.id %>`).join('&amp;')}">x</a>`,
      '',
      'links.invalid',
    ],
    ['an unknown recipient field', '<p><%= recipient.nickname %></p>', '', 'fields.unknown'],
    ['an unknown context object field', '<p><%= delivery.secret %></p>', '', 'fields.unknown'],
    ['an unclosed tag', '<p><%= recipient.firstName </p>', '', 'content.syntax'],
    [
      'a query value, a custom field and a condition (all fine)',
      '<p><% if (recipient.fields.vip) { %>VIP<% } %></p><a href="https://shop.example.com/p?id=<%= recipient.id %>&amp;c=<%= recipient.fields.city %>">x</a>',
      '',
      undefined,
    ],
  ];
  for (const [title, h, t, rule] of cases) {
    it(rule ? `refuses ${title} (${rule})` : `accepts ${title}`, () => {
      const rules = issue(h, t);
      if (rule) assert.ok(rules.includes(rule), `expected ${rule}, got ${JSON.stringify(rules)}`);
      else assert.deepEqual(rules, []);
    });
  }

  it('words a link that cannot be tracked by catalogue key, so the console shows it in the reader’s language', () => {
    const plan = planContent({ subject: 'x', html: '<a href="https://shop.example.com/a b">x</a>', text: '', headers: {}, track: true, openPixel: false });
    const refused = plan.issues.find((i) => i.rule === 'links.invalid')!;
    assert.equal(refused.key, 'check.links.spaces');
    assert.equal(refused.message, 'html: a link must not contain spaces or control characters (write %20): https://shop.example.com/a b');
    assert.equal(
      issueText(refused, catalogueTranslator('fr', ISSUE_CATALOGUES)),
      'html: un lien ne doit contenir ni espaces ni caractères de contrôle (écrivez «\u00a0%20\u00a0»)\u00a0: https://shop.example.com/a b',
    );
  });

  it('refuses headers the content may not set', () => {
    assert.deepEqual(issue('<p>x</p>', '', { Bcc: 'x@example.com', 'X-Fine': 'ok', 'Bad Name': 'x' }), ['headers.name', 'headers.name']);
  });

  it('reports JavaScript syntax errors with the part they are in', () => {
    const plan = planContent({ subject: 'x', html: '<p><%= recipient. %></p>', text: '', headers: {}, track: true, openPixel: false });
    assert.throws(
      () => compileRenderer(plan),
      (err: Error) => err instanceof TemplateSyntaxError && /^html: /.test(err.message),
    );
  });
});
