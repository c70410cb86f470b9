import assert from 'node:assert/strict';
import { unpublishEventType } from '../../server/db/repos/event-types.js';
import { eventContexts } from '../../server/db/repos/events.js';
import { publishTemplate, type EventTemplate } from '../../server/events/publish-template.js';
import { silentLogger } from '../../server/shared/logger.js';
import { pendingMessages } from '../helpers/outbox.js';
import { api, startPublic, type PublicHarness } from '../web/helpers/public.js';

const TEMPLATE: EventTemplate = {
  label: 'Order confirmed',
  subject: 'Order <%= event.orderId %>',
  fromName: 'Shop',
  fromAddress: 'shop@example.com',
  replyTo: null,
  html: '<html><body><p>Thanks <%= event.name %>, order <%= event.orderId %> (<%= event.items.length %> items).</p></body></html>',
  text: 'Thanks <%= event.name %>, order <%= event.orderId %>.',
  headers: {},
  trackingEnabled: false,
  openTracking: false,
};

describe('transactional events over the REST API (Message Center)', () => {
  let h: PublicHarness;
  let auth: string;
  const publish = (type: string, t: EventTemplate = TEMPLATE) =>
    publishTemplate({ db: h.db, config: h.instance.config, log: silentLogger() }, type, t, h.clock.now);
  const post = (body: Record<string, unknown>, headers: Record<string, string> = {}) => api(h.base, auth, 'POST', '/events', body, headers);
  const order = (orderId: string, extra: Record<string, unknown> = {}) => ({
    type: 'order-confirmed',
    email: 'Ann@Example.com',
    ctx: { orderId, name: 'Ann', items: [1, 2] },
    ...extra,
  });

  before(async () => {
    h = await startPublic();
    auth = await h.apiKey(['events:write']);
    await publish('order-confirmed');
  });
  after(async () => h.close());

  it('stores the event and its pending message before answering 202, in a transactional delivery of its template', async () => {
    const res = await post(order('A-1'));
    assert.equal(res.status, 202);
    assert.equal(res.json.status, 'pending');
    assert.equal(res.headers.get('location'), `/api/events/${res.json.id}`);
    const event = await h.db.models.TransactionalEvent.findByPk(res.json.id);
    assert.equal(event?.email, 'ann@example.com');
    const log = await h.db.models.BroadLog.findByPk(event!.broadLogId!);
    assert.equal(log?.status, 'pending');
    const delivery = await h.db.models.Delivery.findByPk(log!.deliveryId);
    assert.equal(delivery?.kind, 'transactional');
    assert.equal(delivery?.isTemplate, false);
    assert.ok(['start_pending', 'in_progress'].includes(delivery!.state));
    assert.deepEqual((await eventContexts(h.db, [log!.id])).get(log!.id), { orderId: 'A-1', name: 'Ann', items: [1, 2] });
  });

  it('personalizes the message with the event context, escaped like recipient data', async () => {
    await post(order('<script>x</script>', { email: 'esc@example.com' }));
    const [mail] = await pendingMessages(h.db, h.instance.config, { address: 'esc@example.com' });
    assert.equal(mail!.mail.subject, 'Order <script>x</script>', 'a subject is plain text');
    assert.match(mail!.mail.html || '', /order &lt;script&gt;x&lt;\/script&gt; \(2 items\)/);
    assert.doesNotMatch(mail!.mail.html || '', /<script>/);
  });

  it('answers a retry with the same idempotency key with the same event, never a second message', async () => {
    const first = await post(order('B-1'), { 'idempotency-key': 'order-B-1' });
    const again = await post(order('B-1'), { 'idempotency-key': 'order-B-1' });
    assert.equal(first.status, 202);
    assert.equal(again.status, 200);
    assert.equal(again.json.id, first.json.id);
    const burst = await Promise.all(Array.from({ length: 40 }, () => post(order('C-1', { idempotencyKey: 'order-C-1' }))));
    assert.equal(new Set(burst.map((r) => r.json.id)).size, 1, 'concurrent retries share one event');
    for (const key of ['order-B-1', 'order-C-1']) {
      const events = await h.db.models.TransactionalEvent.findAll({
        where: { idempotencyScope: `${(await h.db.models.TransactionalEvent.findByPk(first.json.id))!.apiKeyId}:${key}` },
      });
      assert.equal(events.length, 1, key);
      assert.equal(await h.db.models.BroadLog.count({ where: { id: events[0]!.broadLogId! } }), 1);
    }
    const reused = await post(order('B-2'), { 'idempotency-key': 'order-B-1' });
    assert.equal(reused.status, 422);
    assert.equal(reused.json.error.code, 'IDEMPOTENCY_KEY_REUSED');
  });

  it('refuses an event of a type never published with 422 naming the type, storing nothing', async () => {
    const before = await h.db.models.TransactionalEvent.count();
    for (const type of ['order-confirmd', 'order_confirmed', 'no-such-type']) {
      const res = await post({ ...order('U-1'), type });
      assert.equal(res.status, 422, type);
      assert.equal(res.json.error.code, 'EVENT_TYPE_UNKNOWN');
      assert.ok(res.json.error.message.includes(`"${type}"`), res.json.error.message);
    }
    assert.equal(await h.db.models.TransactionalEvent.count(), before);
  });

  it('accepts an event whose type has no published template any more as not covered, and follows the message status', async () => {
    await publish('retired-type');
    await unpublishEventType(h.db, 'retired-type', h.clock.now);
    h.clock.now = new Date(h.clock.now.getTime() + 10_000);
    const missing = await post({ type: 'retired-type', email: 'x@example.com' });
    assert.equal(missing.status, 202);
    assert.equal(missing.json.status, 'not_covered');
    const read = await h.apiKey(['events:read']);
    assert.equal((await api(h.base, read, 'GET', `/events/${missing.json.id}`)).json.status, 'not_covered');
    const sent = await post(order('D-1'));
    const statusOf = async () => (await api(h.base, read, 'GET', `/events/${sent.json.id}`)).json;
    assert.equal((await statusOf()).status, 'pending');
    const logId = (await h.db.models.TransactionalEvent.findByPk(sent.json.id))!.broadLogId!;
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ status: 'sent', sentAt: new Date() }, 'sent'],
      [{ status: 'failed', failureType: 'hard', failureReason: 'user_unknown' }, 'delivery_error'],
      [{ status: 'ignored', failureType: 'ignored', failureReason: 'quarantined' }, 'delivery_error'],
      [{ status: 'cancelled' }, 'expired'],
    ];
    for (const [change, expected] of cases) {
      await h.db.write((t) => h.db.models.BroadLog.update(change, { where: { id: logId }, transaction: t }));
      assert.equal((await statusOf()).status, expected);
    }
    assert.equal((await statusOf()).message.status, 'cancelled');
    assert.equal((await api(h.base, read, 'GET', '/events/999999')).status, 404);
    assert.equal((await api(h.base, read, 'POST', '/events', order('E-1'))).status, 403, 'reading is not writing');
  });

  it('refuses invalid events with the problems found', async () => {
    const deep = { a: { b: { c: { d: { e: { f: { g: { h: { i: 1 } } } } } } } } };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ type: 'herald-subscription-confirm', email: 'a@example.com' }, 'type'],
      [{ type: 'Bad Type', email: 'a@example.com' }, 'type'],
      [{ type: 'order-confirmed', email: 'not an address' }, 'email'],
      [{ type: 'order-confirmed', email: 'a@example.com', ctx: deep }, 'ctx'],
      [{ type: 'order-confirmed', email: 'a@example.com', ctx: 'text' }, 'ctx'],
      [{ type: 'order-confirmed', email: 'a@example.com', idempotencyKey: 'has space' }, 'idempotencyKey'],
    ];
    for (const [body, path] of cases) {
      const res = await post(body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.ok(
        res.json.error.details.some((d: { path: string }) => d.path === path),
        `${path} in ${JSON.stringify(res.json.error.details)}`,
      );
    }
  });

  it("stores a burst of concurrent events in grouped commits, all in the month's delivery", async () => {
    const before = await h.db.models.TransactionalEvent.count();
    const replies = await Promise.all(Array.from({ length: 300 }, (_, i) => post(order(`F-${i}`, { email: `buyer${i}@example.com` }))));
    assert.ok(replies.every((r) => r.status === 202));
    assert.equal(await h.db.models.TransactionalEvent.count(), before + 300);
    const deliveries = await h.db.models.BroadLog.findAll({
      attributes: ['deliveryId'],
      where: { address: replies.map((_, i) => `buyer${i}@example.com`) },
      group: ['deliveryId'],
    });
    assert.equal(deliveries.length, 1);
    const events = await h.db.models.TransactionalEvent.findAll({ where: { id: replies.map((r) => r.json.id) } });
    const logs = new Map((await h.db.models.BroadLog.findAll({ where: { id: events.map((e) => e.broadLogId!) } })).map((l) => [l.id, l.address]));
    assert.ok(
      events.every((e) => logs.get(e.broadLogId!) === e.email),
      'each event is linked to its own message',
    );
    const contexts = await eventContexts(
      h.db,
      events.map((e) => e.broadLogId!),
    );
    assert.ok(events.every((e) => (contexts.get(e.broadLogId!) as { orderId: string }).orderId === `F-${e.email.slice(5, e.email.indexOf('@'))}`));
  });

  it('routes to a new delivery after a new publication, and when the current one has ended', async () => {
    const first = (await h.db.models.TransactionalEvent.findByPk((await post(order('G-1'))).json.id))!.deliveryId!;
    await publish('order-confirmed', { ...TEMPLATE, subject: 'Your order <%= event.orderId %>' });
    h.clock.now = new Date(h.clock.now.getTime() + 10_000);
    const second = (await h.db.models.TransactionalEvent.findByPk((await post(order('G-2'))).json.id))!.deliveryId!;
    assert.notEqual(second, first, 'version 2 has its own delivery');
    assert.equal((await h.db.models.Delivery.findByPk(second))?.subject, 'Your order <%= event.orderId %>');
    await h.db.write((t) => h.db.models.Delivery.update({ state: 'finished' }, { where: { id: second }, transaction: t }));
    const third = (await h.db.models.TransactionalEvent.findByPk((await post(order('G-3'))).json.id))!.deliveryId!;
    assert.notEqual(third, second);
    assert.match((await h.db.models.Delivery.findByPk(third))!.internalName, /-v2-2$/);
  });
});

describe('transactional events of unknown types with events.acceptUnknownTypes', () => {
  let h: PublicHarness;
  after(async () => h?.close());

  it('stores them as not covered (202) and sends nothing', async () => {
    h = await startPublic('[events]\nacceptUnknownTypes = true');
    const auth = await h.apiKey(['events:write']);
    const res = await api(h.base, auth, 'POST', '/events', { type: 'never-published', email: 'x@example.com' });
    assert.equal(res.status, 202);
    assert.equal(res.json.status, 'not_covered');
    assert.equal((await h.db.models.TransactionalEvent.findByPk(res.json.id))?.broadLogId ?? null, null);
  });
});
