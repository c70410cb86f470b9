import assert from 'node:assert/strict';
import { simpleParser } from 'mailparser';
import { buildMessage } from '../../server/delivery/build-message.js';
import { decodeRecipientToken } from '../../server/shared/tokens.js';
import { compile, content, IDENTITY, log, recipient } from '../helpers/delivery.js';

const transactional = (html: string, subject = 'Order <%= event.orderId %>') =>
  compile(content({ kind: 'transactional', marketing: false, serviceId: null, subject, html, text: '' }));

async function html(c: ReturnType<typeof compile>, event?: Record<string, unknown>, r = recipient()) {
  const built = buildMessage(c, r, log(), new Date('2026-05-01T10:00:00Z'), event);
  assert.ok(built.ok, built.ok ? '' : built.error);
  return { parsed: await simpleParser(built.raw), built };
}

describe('personalization with a transactional event context', () => {
  it('reads the event as `event`, objects and arrays included, escaped by context like recipient data', async () => {
    const c = transactional(
      '<html><body><p><%= event.customer.name %>: <% for (const i of event.items) { %>[<%= i.sku %>]<% } %></p><a href="https://shop.example.com/o?id=<%= event.orderId %>">see</a></body></html>',
    );
    const { parsed } = await html(c, { orderId: 'A&1 <x>', customer: { name: '<b>Ann</b>' }, items: [{ sku: 'K-1' }, { sku: '"Q"' }] });
    assert.equal(parsed.subject, 'Order A&1 <x>');
    assert.match(parsed.html || '', /&lt;b&gt;Ann&lt;\/b&gt;: \[K-1\]\[&quot;Q&quot;\]/);
    assert.match(parsed.html || '', /\?p1=A%261%20%3Cx%3E/, 'a personalized query value travels percent-encoded in the tracked link');
  });

  it('gives an empty event to messages without one', async () => {
    const { parsed } = await html(transactional('<html><body><p>[<%= event.orderId %>]</p></body></html>'));
    assert.match(parsed.html || '', /\[\]/);
  });

  it('keeps event data as data: no way to the process from a context value', async () => {
    const c = transactional('<html><body><p><%= event.x.constructor.constructor("return process")() %></p></body></html>', 'Hi');
    const built = buildMessage(c, recipient(), log(), new Date(), { x: {} });
    assert.equal(built.ok, false, 'code generation is refused in the personalization context');
    const safe = await html(
      transactional('<html><body><p><%= event["__proto__"].polluted %></p></body></html>', 'Hi'),
      JSON.parse('{"__proto__":{"polluted":"yes"}}'),
    );
    assert.match(safe.parsed.html || '', /yes/, 'a "__proto__" key is plain data');
    assert.equal(({} as { polluted?: string }).polluted, undefined);
  });

  it('links to the preference centre with a per-recipient token, a no-op one in proofs', async () => {
    const marketing = compile(
      content({ html: '<html><body><a href="<%= links.preferences %>">prefs</a><a href="<%= links.unsubscribe %>">u</a></body></html>' }),
    );
    const { parsed } = await html(marketing);
    const token = /\/p\/([^"]+)"/.exec(parsed.html || '')![1]!;
    assert.deepEqual(decodeRecipientToken({ current: IDENTITY.trackingKey }, token, 0), {
      recipientId: 42,
      purpose: 'preferences',
      serviceId: 0,
      expiresAt: 0,
    });
    const proof = compile(
      content({ kind: 'proof', html: '<html><body><a href="<%= links.preferences %>">prefs</a><a href="<%= links.unsubscribe %>">u</a></body></html>' }),
    );
    const proofToken = /\/p\/([^"]+)"/.exec((await html(proof)).parsed.html || '')![1]!;
    assert.equal(decodeRecipientToken({ current: IDENTITY.trackingKey }, proofToken, 0)?.recipientId, 0);
  });
});
