import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { simpleParser } from 'mailparser';
import { buildMessage, buildMessages, type BuiltMessage } from '../../server/delivery/build-message.js';
import { relaxedHeader } from '../../server/delivery/mime/dkim.js';
import { quotedPrintable } from '../../server/delivery/mime/quoted-printable.js';
import { decodeRecipientToken, decodeTrackingToken, parseMessageId, parseVerpAddress } from '../../server/shared/tokens.js';
import { compileUrl, fillUrl } from '../../server/tracking/destination.js';
import { compile, content, dkimKeys, IDENTITY, log, offlineResolver, recipient } from '../helpers/delivery.js';

const require = createRequire(import.meta.url);
const { dkimVerify } = require('mailauth/lib/dkim/verify') as {
  dkimVerify: (m: Buffer, o: object) => Promise<{ results: Array<{ status: { result: string }; signingHeaders?: { keys: string }; info: string }> }>;
};

const NOW = new Date('2026-03-01T10:00:00Z');
const keys = { current: IDENTITY.trackingKey };

const SHOP = content({
  html: `<html><body><p>Hi <%= recipient.firstName %></p>
<a href="https://shop.example.com/p?id=<%= recipient.id %>&amp;src=mail&amp;city=<%= recipient.fields.city %>">Shop now</a>
<a href="https://shop.example.com/about" data-herald-label="About us">About</a>
<a href="https://shop.example.com/prefs?e=<%= recipient.email %>" data-herald="opt-out">Preferences</a>
<a href="<%= links.mirror %>">View online</a> <a href="<%= links.unsubscribe %>">Unsubscribe</a></body></html>`,
  text: 'Hi <%= recipient.firstName %>\nShop: https://shop.example.com/p?id=<%= recipient.id %>&src=mail&city=<%= recipient.fields.city %>\nUnsubscribe: <%= links.unsubscribe %>\n',
});

function built(m: ReturnType<typeof buildMessage>): BuiltMessage {
  assert.ok(m.ok, m.ok ? '' : m.error);
  return m;
}

const hrefs = (html: string) => [...html.matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));

/** What the tracking server does with a click: verify the token with the query's p1…pn, fill the stored URL. */
function follow(url: string, stored: Map<number, string>): { ids: ReturnType<typeof decodeTrackingToken>; target?: string } {
  const u = new URL(url);
  const params = [...u.searchParams.entries()].filter(([k]) => /^p\d+$/.test(k)).map(([, v]) => v);
  const ids = decodeTrackingToken(keys, u.pathname.split('/')[2]!, params);
  const compiled = ids && compileUrl(stored.get(ids.urlId)!);
  assert.ok(!compiled || compiled.ok, 'the tracking server accepts the stored URL');
  return { ids, target: compiled && compiled.ok ? fillUrl(compiled.url, params) : undefined };
}

describe('message building', () => {
  const compiled = compile(SHOP);
  const stored = new Map(compiled.links.map((l) => [l.urlId!, l.url]));

  it('rewrites every link to a signed tracking link that leads back to the right destination', async () => {
    const m = built(buildMessage(compiled, recipient({ fields: { city: 'São Paulo & co' } }), log(), NOW));
    const parsed = await simpleParser(m.raw);
    const links = hrefs(String(parsed.html)).filter((h) => h.startsWith('https://t.example.com/r/'));
    assert.equal(links.length, 3, 'three tracked links in the HTML part');
    const shop = follow(links[0]!, stored);
    assert.deepEqual(shop.ids, { deliveryId: 7, broadLogId: 9001, urlId: 100 });
    assert.equal(shop.target, 'https://shop.example.com/p?id=42&src=mail&city=S%C3%A3o%20Paulo%20%26%20co');
    assert.equal(follow(links[1]!, stored).target, 'https://shop.example.com/about');
    assert.equal(follow(links[2]!, stored).target, 'https://shop.example.com/prefs?e=ann%40example.org');
    const textLink = /https:\/\/t\.example\.com\/r\/\S+/.exec(parsed.text!)![0];
    assert.equal(follow(textLink, stored).target, shop.target, 'the text part carries the same tracked link');
  });

  it("tracks Outlook's VML buttons inside conditional comments, and leaves the comments intact", async () => {
    const outlook = compile(
      content({
        html: `<html><body><!--[if mso]><v:roundrect xmlns:v="urn:schemas-microsoft-com:vml" href="https://shop.example.com/sale?id=<%= recipient.id %>" style="height:40px" arcsize="10%"><center>Shop the sale</center></v:roundrect><![endif]-->
<!--[if !mso]><!--><a href="https://shop.example.com/sale?id=<%= recipient.id %>">Shop the sale</a><!--<![endif]-->
<!-- a plain comment: <a href="https://example.com/commented-out">never sent</a> --></body></html>`,
        text: '',
      }),
    );
    const body = String((await simpleParser(built(buildMessage(outlook, recipient(), log(), NOW)).raw)).html);
    assert.match(
      body,
      /<!--\[if mso\]><v:roundrect [^>]*href="https:\/\/t\.example\.com\/r\/[^"]+"[^>]*>[\s\S]*<!\[endif\]-->/,
      'the VML button links through the tracking server',
    );
    assert.match(body, /<!--\[if !mso\]><!--><a href="https:\/\/t\.example\.com\/r\//, 'so does the link for other clients');
    assert.match(body, /<a href="https:\/\/example\.com\/commented-out">/, 'a plain comment is left alone');
    const stored = new Map(outlook.links.map((l) => [l.urlId!, l.url]));
    const vml = /<v:roundrect [^>]*href="([^"]+)"/.exec(body)![1]!.replace(/&amp;/g, '&');
    assert.equal(follow(vml, stored).target, 'https://shop.example.com/sale?id=42');
  });

  it('rejects a tampered token, a changed parameter and a dropped parameter', async () => {
    const m = built(buildMessage(compiled, recipient(), log(), NOW));
    const link = hrefs(String((await simpleParser(m.raw)).html)).find((h) => h.includes('/r/') && h.includes('p1='))!;
    const u = new URL(link);
    const token = u.pathname.split('/')[2]!;
    const flipped = token.slice(0, 2) + (token[2] === 'A' ? 'B' : 'A') + token.slice(3);
    assert.equal(decodeTrackingToken(keys, flipped, ['42', 'Paris']), undefined, 'tampered ids');
    assert.equal(decodeTrackingToken(keys, token, ['43', 'Paris']), undefined, 'changed p1');
    assert.equal(decodeTrackingToken(keys, token, ['42']), undefined, 'dropped p2');
    assert.ok(decodeTrackingToken(keys, token, ['42', 'Paris']));
  });

  it('adds the open pixel, the mirror link and the one-click unsubscribe headers, all signed', async () => {
    const m = built(buildMessage(compiled, recipient(), log(), NOW));
    const parsed = await simpleParser(m.raw);
    const html = String(parsed.html);
    const pixel = hrefs(html).find((h) => h.startsWith('https://t.example.com/o/'))!;
    assert.deepEqual(decodeTrackingToken(keys, pixel.split('/o/')[1]!), { deliveryId: 7, broadLogId: 9001, urlId: compiled.openUrlId });
    const mirror = hrefs(html).find((h) => h.startsWith('https://www.example.com/m/'))!;
    assert.deepEqual(decodeTrackingToken(keys, mirror.split('/m/')[1]!), { deliveryId: 7, broadLogId: 9001, urlId: compiled.mirrorUrlId });
    const raw = m.raw.toString();
    const [https, mailto] = /^List-Unsubscribe: <([^>]+)>,\s+<([^>]+)>/m.exec(raw)!.slice(1);
    const token = https!.split('/u/')[1]!;
    assert.deepEqual(decodeRecipientToken(keys, token, NOW.getTime() / 1000), {
      recipientId: 42,
      purpose: 'unsubscribe',
      serviceId: 3,
      expiresAt: 0,
      message: { deliveryId: 7, broadLogId: 9001 },
    });
    const local = /^mailto:(.+)@bounce\.example\.com$/.exec(mailto!)![1]!;
    assert.ok(local.startsWith('bounce+unsubscribe-'));
    assert.deepEqual(decodeRecipientToken(keys, local.slice('bounce+unsubscribe-'.length), 0), {
      recipientId: 42,
      purpose: 'unsubscribe',
      serviceId: 3,
      expiresAt: 0,
    });
    assert.ok(local.length <= 64, 'a local part is at most 64 octets (RFC 5321)');
    assert.match(raw, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r$/m);
    assert.match(raw, /^List-Id: Example news <newsletter\.example\.com>\r$/m);
    assert.ok(html.includes(`href="${https}"`), 'the body has the same unsubscribe link');
  });

  it('identifies the message in its Message-ID and its VERP envelope sender', () => {
    const m = built(buildMessage(compiled, recipient(), log(123456), NOW));
    assert.deepEqual(parseVerpAddress(keys.current === IDENTITY.bounceKey ? keys : { current: IDENTITY.bounceKey }, m.envelope.from), {
      broadLogId: 123456,
      deliveryId: 7,
    });
    assert.deepEqual(parseMessageId({ current: IDENTITY.bounceKey }, m.messageId), { broadLogId: 123456, deliveryId: 7 });
    assert.equal(m.envelope.to, 'ann@example.org');
    assert.match(m.raw.toString(), new RegExp(`^Message-ID: ${m.messageId}\\r$`, 'm'));
  });

  it('leaves the unsubscribe headers out of transactional mail and gives proofs a no-op unsubscribe token', () => {
    const tx = built(buildMessage(compile(content({ kind: 'transactional', marketing: false })), recipient(), log(), NOW)).raw.toString();
    assert.doesNotMatch(tx, /^List-(Unsubscribe|Id)/m);
    const proof = built(buildMessage(compile(content({ kind: 'proof' })), recipient(), log(), NOW)).raw.toString();
    const token = /^List-Unsubscribe: <https:\/\/www\.example\.com\/u\/([^>]+)>/m.exec(proof)![1]!;
    assert.equal(decodeRecipientToken(keys, token, 0)!.recipientId, 0);
  });

  it('sends text-only to recipients who prefer text, and one part when the content has one', async () => {
    const text = await simpleParser(built(buildMessage(compiled, recipient({ emailFormat: 'text' }), log(1, 'ann@example.org', 'text'), NOW)).raw);
    assert.equal(text.html, false);
    assert.equal((text.headers.get('content-type') as { value: string }).value, 'text/plain');
    const htmlOnly = built(buildMessage(compile(content({ text: '' })), recipient(), log(), NOW)).raw.toString();
    assert.match(htmlOnly, /^Content-Type: text\/html; charset=utf-8\r$/m);
    assert.match(String((await simpleParser(htmlOnly)).html), /Hi Ann/);
  });

  it('fails only the message whose personalization throws, with reason unreachable and the part', () => {
    const c = compile(content({ html: `<p><%= recipient.fields.city.toUpperCase() %></p><a href="<%= links.unsubscribe %>">u</a>` }));
    const results = buildMessages(
      c,
      ['Paris', undefined, 'Oslo'].map((city, i) => ({ recipient: recipient({ fields: city ? { city } : {} }), log: log(i + 1) })),
      NOW,
    );
    assert.deepEqual(
      results.map((r) => r.ok),
      [true, false, true],
    );
    const failed = results[1]!;
    assert.ok(!failed.ok && failed.reason === 'unreachable' && /^personalization error in html: .*toUpperCase/.test(failed.error), JSON.stringify(failed));
  });

  it('stops a personalization that never ends and fails only that message', () => {
    const c = compile(
      content({ html: `<% if (recipient.fields.loop === 'yes') { while (true) {} } %><p>ok</p><a href="<%= links.unsubscribe %>">u</a>` }),
      [],
      { ...IDENTITY, renderBudgetMs: 200 },
    );
    const results = buildMessages(
      c,
      [1, 2, 3].map((i) => ({ recipient: recipient({ fields: { loop: i === 2 ? 'yes' : 'no' } }), log: log(i) })),
      NOW,
    );
    assert.deepEqual(
      results.map((r) => r.ok),
      [true, false, true],
    );
    assert.match((results[1] as { error: string }).error, /took longer than 200 ms/);
    assert.ok(built(buildMessage(c, recipient(), log(4), NOW)), 'the delivery keeps working afterwards');
  });

  it('fails a message to an invalid address without rendering it', () => {
    const r = buildMessage(compiled, recipient(), log(1, 'not an address'), NOW);
    assert.ok(!r.ok && r.reason === 'invalid_address');
  });

  it('writes bodies that survive quoted-printable decoding and are already in DKIM relaxed form', async () => {
    const samples = [
      'plain',
      'trailing space \nand tab\t\n',
      'a  b\t\tc   ',
      'é'.repeat(200),
      '=?utf-8?=',
      'x'.repeat(300),
      'line\r\nbreaks\rmixed\n',
      ' . leading dot',
      '😀 emoji 𝄞',
    ];
    for (const sample of samples) {
      const qp = quotedPrintable(sample).toString('latin1');
      for (const line of qp.split('\r\n')) {
        assert.ok(line.length <= 76, `line too long: ${line}`);
        assert.doesNotMatch(line, /[ \t]$|\t| {2}/, `not relaxed-canonical: ${JSON.stringify(line)}`);
      }
      const c = compile(content({ text: `<%= recipient.fields.sample %>\n<%= links.unsubscribe %>` }));
      const parsed = await simpleParser(built(buildMessage(c, recipient({ fields: { sample } }), log(1, 'ann@example.org', 'text'), NOW)).raw);
      assert.equal(parsed.text!.split('\nhttps://')[0], sample.replace(/\r\n|\r/g, '\n'));
    }
  });
});

describe('DKIM signing', () => {
  const compiled = compile(SHOP, dkimKeys());

  it('signs with RSA-2048 and Ed25519 signatures that an independent verifier accepts', async () => {
    const m = built(buildMessage(compiled, recipient({ firstName: 'Zoë  \t spaced' }), log(), NOW));
    const result = await dkimVerify(m.raw, { resolver: offlineResolver() });
    assert.deepEqual(
      result.results.map((r) => r.status.result),
      ['pass', 'pass'],
      result.results.map((r) => r.info).join('\n'),
    );
    assert.match(result.results.map((r) => r.info).join(' '), /a=rsa-sha256.*a=ed25519-sha256|a=ed25519-sha256.*a=rsa-sha256/);
  });

  it('covers and oversigns From and the List-Unsubscribe headers, and never uses l=', () => {
    const raw = built(buildMessage(compiled, recipient(), log(), NOW)).raw.toString();
    const signature = relaxedHeader(raw.split(/\r\n(?=\S)/).find((l) => l.startsWith('DKIM-Signature:'))!);
    const h = /h=([^;]+)/.exec(signature)![1]!.replace(/\s/g, '').split(':');
    for (const name of ['from', 'list-unsubscribe', 'list-unsubscribe-post']) assert.equal(h.filter((x) => x === name).length, 2, name);
    for (const name of ['to', 'subject', 'date', 'message-id', 'list-id', 'mime-version', 'content-type']) assert.ok(h.includes(name), name);
    assert.doesNotMatch(signature, /;\s*l=/);
    assert.match(signature, /c=relaxed\/relaxed/);
  });

  const tamper: Array<[string, (raw: string) => string]> = [
    ['a changed List-Unsubscribe', (raw) => raw.replace('List-Unsubscribe: <https://www.example.com/u/', 'List-Unsubscribe: <https://evil.test/u/')],
    [
      'an added List-Unsubscribe-Post',
      (raw) => raw.replace('List-Unsubscribe-Post:', 'List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\nList-Unsubscribe-Post:'),
    ],
    ['a second From', (raw) => raw.replace('\r\nFrom:', '\r\nFrom: attacker@evil.test\r\nFrom:')],
    ['a changed body', (raw) => raw.replace('Hi Ann', 'Hi Bob')],
  ];
  for (const [what, change] of tamper) {
    it(`fails verification after ${what}`, async () => {
      const raw = built(buildMessage(compiled, recipient(), log(), NOW)).raw.toString();
      const changed = change(raw);
      assert.notEqual(changed, raw);
      const result = await dkimVerify(Buffer.from(changed), { resolver: offlineResolver() });
      assert.ok(
        result.results.every((r) => r.status.result !== 'pass'),
        result.results.map((r) => r.info).join('\n'),
      );
    });
  }
});
