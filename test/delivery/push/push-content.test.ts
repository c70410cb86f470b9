import assert from 'node:assert/strict';
import { buildPushMessages } from '../../../server/delivery/push/build-push.js';
import { checkPushFields, parsePushContent, pushParts, shownText, type PushContent } from '../../../server/delivery/push/push-content.js';
import { compile, content, log, recipient } from '../../helpers/delivery.js';

/** A push delivery's own fields: checks as a table, how they become parts, and the notification built from them. */

const OK = { title: 'Spring sale', body: 'Hi <%= recipient.firstName %>', url: '', icon: '', image: '', ttl: '', urgency: '' };

describe('push notification fields', () => {
  const cases: Array<[string, Partial<typeof OK>, Record<string, string>]> = [
    ['a title and a body are enough', {}, {}],
    [
      'every field set',
      {
        url: 'https://shop.example.com/p/<%= recipient.id %>',
        icon: 'https://cdn.example.com/i.png',
        image: 'https://cdn.example.com/big.jpg',
        ttl: '3600',
        urgency: 'high',
      },
      {},
    ],
    ['a plain http page is accepted', { url: 'http://shop.example.com/spring' }, {}],
    ['no title', { title: '  ' }, { pushTitle: 'push.error.title_required' }],
    ['a title of 101 characters', { title: 'x'.repeat(101) }, { pushTitle: 'push.error.title_length' }],
    ['a title of 100 emoji (counted as characters)', { title: '🎉'.repeat(100) }, {}],
    ['no body', { body: '' }, { pushBody: 'push.error.body_required' }],
    ['a body of 501 characters', { body: 'x'.repeat(501) }, { pushBody: 'push.error.body_length' }],
    ['a relative page', { url: '/spring' }, { pushUrl: 'push.error.url' }],
    ['a javascript: page', { url: 'javascript:alert(1)' }, { pushUrl: 'push.error.url' }],
    ['a page with a space', { url: 'https://shop.example.com/a b' }, { pushUrl: 'push.error.url' }],
    ['an http icon', { icon: 'http://cdn.example.com/i.png' }, { pushIcon: 'push.error.image_url' }],
    ['a personalized image', { image: 'https://cdn.example.com/<%= recipient.id %>.jpg' }, { pushImage: 'push.error.image_url' }],
    ['a TTL of 28 days and a second', { ttl: '2419201' }, { pushTtl: 'push.error.ttl' }],
    ['a negative TTL', { ttl: '-1' }, { pushTtl: 'push.error.ttl' }],
    ['a TTL of 0 (deliver now or never)', { ttl: '0' }, {}],
    ['an unknown urgency', { urgency: 'urgent' }, { pushUrgency: 'push.error.urgency' }],
  ];
  for (const [name, fields, expected] of cases)
    it(`checks ${name}`, () => {
      assert.deepEqual(checkPushFields({ ...OK, ...fields }), expected);
    });

  it('reads back a stored value, and nothing from a row that is not one', () => {
    const stored: PushContent = { title: 'T', body: 'B', url: 'https://x.example/', icon: null, image: null, ttlSeconds: 60, urgency: 'low' };
    assert.deepEqual(parsePushContent(JSON.parse(JSON.stringify(stored))), stored);
    assert.equal(parsePushContent(null), null);
    assert.equal(parsePushContent({ body: 'no title' }), null);
    assert.deepEqual(parsePushContent({ title: 'T', ttlSeconds: -5, urgency: 'soon' }), {
      title: 'T',
      body: '',
      url: null,
      icon: null,
      image: null,
      ttlSeconds: null,
      urgency: null,
    });
  });

  it('cuts a text where a phone does, by characters', () => {
    assert.deepEqual(shownText('Short  title\n', 50), { shown: 'Short title', cut: false });
    assert.deepEqual(shownText('é'.repeat(60), 50), { shown: `${'é'.repeat(49)}…`, cut: true });
  });
});

describe('push notifications built from their fields', () => {
  const fields: PushContent = {
    title: 'Hi <%= recipient.firstName %>',
    body: 'Our spring sale starts today.\nSee https://shop.example.com/news',
    url: 'https://shop.example.com/p?id=<%= recipient.id %>',
    icon: 'https://cdn.example.com/i.png',
    image: null,
    ttlSeconds: 600,
    urgency: 'low',
  };

  it('personalizes title and page, tracks the page, and keeps icon, TTL and urgency', () => {
    const c = compile(content({ ...pushParts(fields), html: null, fromAddress: '' }));
    const [built] = buildPushMessages(c, [{ recipient: recipient({ firstName: 'Zoé' }), log: log() }]);
    assert.ok(built?.ok, built && !built.ok ? built.error : '');
    assert.equal(built.payload.title, 'Hi Zoé');
    assert.match(built.payload.body, /^Our spring sale starts today\.\nSee https:\/\/t\.example\.com\/r\/\S+$/);
    assert.match(built.payload.url ?? '', /^https:\/\/t\.example\.com\/r\/[^\s]+\?p1=42$/, 'the page is a tracked link with the recipient id');
    assert.equal(built.payload.icon, 'https://cdn.example.com/i.png');
    assert.equal('image' in built.payload, false);
    assert.deepEqual(built.headers, { ttlSeconds: 600, urgency: 'low' });
  });

  it('opens nothing without a page, and the body keeps its own links', () => {
    const c = compile(content({ ...pushParts({ ...fields, url: null, ttlSeconds: null, urgency: null }), html: null, fromAddress: '' }));
    const [built] = buildPushMessages(c, [{ recipient: recipient(), log: log() }]);
    assert.ok(built?.ok);
    assert.equal(built.payload.url, null);
    assert.match(built.payload.body, /See https:\/\/t\.example\.com\/r\//);
    assert.deepEqual(built.headers, {});
  });

  it('sends a delivery written before push fields as before: subject, text part, first link', () => {
    const c = compile(content({ subject: 'Old <%= recipient.firstName %>', html: null, text: 'Sale: https://shop.example.com/old', fromAddress: '' }));
    const [built] = buildPushMessages(c, [{ recipient: recipient({ firstName: 'Ann' }), log: log() }]);
    assert.ok(built?.ok);
    assert.equal(built.payload.title, 'Old Ann');
    assert.equal(built.payload.url, built.payload.body.slice('Sale: '.length));
    assert.match(built.payload.url ?? '', /^https:\/\/t\.example\.com\/r\//);
  });
});
