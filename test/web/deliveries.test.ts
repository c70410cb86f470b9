import assert from 'node:assert/strict';
import { upsertRecipients } from '../../server/db/repos/recipients.js';
import { changeSubscription, createService } from '../../server/db/repos/services.js';
import { addOperator, ConsoleClient, startConsole, type ConsoleHarness } from './helpers/console.js';
import { deliveryForm } from './helpers/delivery-form.js';
import { readEvents } from './helpers/events.js';

const form = deliveryForm;

const idFrom = (location: string | null) => Number(/\/deliveries\/(\d+)/.exec(location ?? '')?.[1]);

describe('console deliveries: create, edit, preview, analyse, start, follow, proofs', function () {
  this.timeout(60_000);
  let h: ConsoleHarness;
  let admin: ConsoleClient;
  let serviceId: number;
  let deliveryId: number;
  const client = async (login: string, rights: Parameters<typeof addOperator>[2]) => {
    const op = await addOperator(h.db, login, rights);
    const c = new ConsoleClient(h.base);
    await c.login(op.login, op.password);
    await c.get('/deliveries');
    return c;
  };
  const delivery = async (id = deliveryId) => (await h.db.models.Delivery.findByPk(id))!;

  before(async () => {
    h = await startConsole('', { tracker: true });
    admin = await client('root', ['admin']);
    await upsertRecipients(
      h.db,
      [
        { email: 'ann@example.com', firstName: 'Ann', lastName: 'Lee' },
        { email: 'bob@example.com', firstName: 'Bob', lastName: 'Ray' },
        { email: 'cid@other.example', firstName: 'Cid', lastName: 'Day' },
      ],
      new Set(['email', 'firstName', 'lastName']),
    );
    const audit = { at: new Date(), operatorId: null, operatorLogin: 'test', action: 'service_created' as const };
    serviceId = (await createService(h.db, { name: 'news', label: 'News', description: null, doubleOptIn: false, validityDays: null }, audit)).id;
    for (const r of await h.db.models.Recipient.findAll())
      await changeSubscription(h.db, { serviceId, recipientId: r.id, change: 'subscribe', origin: 'test' }, { ...audit, action: 'recipient_subscribed' });
  });
  after(async () => h.close());

  it('creates a delivery from the form: service target narrowed by filter rows, audited', async () => {
    const reply = await admin.post(
      '/deliveries',
      form({ targetKind: 'service', serviceId: String(serviceId), f0_field: 'domain', f0_op: 'eq', f0_value: 'example.com' }),
    );
    assert.equal(reply.status, 303, reply.text);
    deliveryId = idFrom(reply.location);
    const d = await delivery();
    assert.equal(d.state, 'editing');
    assert.deepEqual(d.target, { kind: 'service', serviceId, filter: { all: [{ field: 'domain', op: 'eq', value: 'example.com' }] } });
    assert.equal(d.serviceId, serviceId);
    assert.equal(d.createdBy !== null, true);
    const page = await admin.get(`/deliveries/${deliveryId}?notice=created`);
    assert.match(page.text, /Spring news/);
    assert.match(page.text, /Active subscribers of a service/);
    assert.equal(await h.db.models.AuditEntry.count({ where: { action: 'delivery_created', targetId: String(deliveryId) } }), 1);
  });

  it('refuses an invalid form with 400 and says what is wrong, creating nothing', async () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ internalName: '123' }, /not only digits/],
      [{ internalName: 'x1', fromAddress: '' }, /Required/],
      [{ internalName: 'x2', filterJson: '{"field":"nope","op":"eq","value":"x"}' }, /The filter is not valid/],
      [{ internalName: 'x3', headers: 'Bad header line' }, /one header per line/],
      [{ internalName: 'x4', targetKind: 'list', listId: '' }, /Choose a list/],
      [{ internalName: 'x5', scheduledAt: 'tomorrow' }, /2026-12-31 09:00/],
      [{ internalName: 'spring' }, /exists already/],
    ];
    const before = await h.db.models.Delivery.count();
    for (const [overrides, message] of cases) {
      const reply = await admin.post('/deliveries', form(overrides));
      assert.ok(reply.status === 400 || reply.status === 409, `${JSON.stringify(overrides)}: ${reply.status}`);
      assert.match(reply.text, message, JSON.stringify(overrides));
    }
    assert.equal(await h.db.models.Delivery.count(), before);
  });

  it('edits the delivery while it is editable, showing its filter as rows', async () => {
    const page = await admin.get(`/deliveries/${deliveryId}/edit`);
    assert.match(page.text, /name="f0_field"[^>]*value="domain"/);
    const reply = await admin.post(
      `/deliveries/${deliveryId}`,
      form({ label: 'Spring news (v2)', targetKind: 'service', serviceId: String(serviceId), f0_field: 'domain', f0_op: 'eq', f0_value: 'example.com' }),
    );
    assert.equal(reply.status, 303);
    assert.equal((await delivery()).label, 'Spring news (v2)');
  });

  it('previews the message as a chosen recipient, the HTML in a sandboxed frame with its own policy', async () => {
    const page = await admin.get(`/deliveries/${deliveryId}/preview?recipient=bob@example.com`);
    assert.equal(page.status, 200);
    assert.match(page.text, /Hello Bob/);
    assert.match(
      page.text,
      /<iframe class="preview preview-desktop preview-light" sandbox src="\/deliveries\/\d+\/preview\/html\?recipient=bob%40example.com"/,
    );
    assert.match(page.text, /List-Unsubscribe/);
    const frame = await admin.get(`/deliveries/${deliveryId}/preview/html?recipient=bob@example.com`);
    assert.match(frame.headers.get('content-security-policy')!, /^sandbox; default-src 'none'/);
    assert.equal(frame.headers.get('x-frame-options'), 'SAMEORIGIN');
    assert.match(frame.text, /Hello Bob/);
    const unknown = await admin.get(`/deliveries/${deliveryId}/preview?recipient=999999`);
    assert.equal(unknown.status, 404);
    assert.match(unknown.text, /no recipient/);
  });

  it('analyses it and shows the counters and the control-rule messages', async () => {
    const reply = await admin.post(`/deliveries/${deliveryId}/analyse`);
    assert.equal(reply.status, 303);
    assert.match(reply.location!, /notice=analysed/);
    const d = await delivery();
    assert.equal(d.state, 'ready');
    assert.equal(d.toDeliver, 2, 'the filter keeps the two example.com subscribers');
    const page = await admin.get(`/deliveries/${deliveryId}`);
    assert.match(page.text, /from\.dkim/, 'the warning of the DKIM rule is shown');
    assert.match(page.text, /action="\/deliveries\/\d+\/start"/);
    const frame = await admin.get(`/deliveries/${deliveryId}/preview/html`);
    assert.doesNotMatch(frame.text, /\/o\//, 'the open pixel is left out of previews');
    assert.match(frame.text, /\/r\//, 'links are the tracked ones after the analysis');
  });

  it('keeps a delivery whose analysis found errors from starting, and says why', async () => {
    const created = await admin.post('/deliveries', form({ internalName: 'broken', html: '<p>No way out</p>', text: '' }));
    const id = idFrom(created.location);
    const analysed = await admin.post(`/deliveries/${id}/analyse`);
    assert.match(analysed.location!, /notice=analysis_blocked/);
    const page = await admin.get(`/deliveries/${id}`);
    assert.match(page.text, /unsubscribe\.html/);
    assert.match(page.text, /error\(s\) block the start/);
    assert.doesNotMatch(page.text, /action="\/deliveries\/\d+\/start"/);
    const start = await admin.post(`/deliveries/${id}/start`);
    assert.equal(start.status, 409);
    assert.match(start.text, /must be analysed/);
    assert.equal((await delivery(id)).state, 'editing');
  });

  it('starts it only with start_deliveries, after pushing its tracked links to the tracking server', async () => {
    const preparer = await client('prep', ['prepare_deliveries']);
    assert.equal((await preparer.post(`/deliveries/${deliveryId}/start`)).status, 403);
    const starter = await client('boss', ['start_deliveries']);
    const reply = await starter.post(`/deliveries/${deliveryId}/start`);
    assert.equal(reply.status, 303, reply.text);
    assert.equal((await delivery()).state, 'start_pending');
    assert.equal(h.tracker!.server.status().deliveries, 1, 'the tracking server knows the links');
    assert.equal(await h.db.models.AuditEntry.count({ where: { action: 'delivery_started', operatorLogin: 'boss' } }), 1);
  });

  it('follows the progress live until the delivery ends (server-sent events), and shows it without JavaScript', async () => {
    const page = await admin.get(`/deliveries/${deliveryId}/dashboard`);
    assert.match(page.text, /data-progress-url="\/deliveries\/\d+\/progress"/);
    assert.match(page.text, /<noscript><meta http-equiv="refresh" content="5"><\/noscript>/);
    type P = {
      state: string;
      live: boolean;
      processed: number;
      sent: number;
      failed: number;
      pending: number;
      failures: Array<{ reason: string; messages: number }>;
    };
    const seen: string[] = [];
    const { events, ended } = await readEvents<P>(admin, `/deliveries/${deliveryId}/progress`, async (p) => {
      seen.push(p.state);
      if (p.state === 'start_pending') await simulateSending(h, deliveryId);
      return false;
    });
    assert.equal(ended, true, 'the stream ends with the delivery');
    assert.deepEqual([...new Set(seen)], ['start_pending', 'finished']);
    const last = events[events.length - 1]!;
    assert.deepEqual(
      { processed: last.processed, sent: last.sent, failed: last.failed, pending: last.pending, live: last.live },
      { processed: 2, sent: 1, failed: 1, pending: 0, live: false },
    );
    assert.deepEqual(last.failures, [{ reason: 'user_unknown', label: 'user unknown', messages: 1 }]);
    const after = await admin.get(`/deliveries/${deliveryId}/dashboard`);
    assert.doesNotMatch(after.text, /http-equiv="refresh"/, 'a finished delivery no longer refreshes');
  });

  it('pauses, resumes and stops a running delivery, each recorded in the audit log', async () => {
    const created = await admin.post('/deliveries', form({ internalName: 'autumn' }));
    const id = idFrom(created.location);
    await admin.post(`/deliveries/${id}/analyse`);
    await admin.post(`/deliveries/${id}/start`);
    await h.db.write((t) => h.db.models.Delivery.update({ state: 'in_progress' }, { where: { id }, transaction: t }));
    const steps: Array<[string, string]> = [
      ['pause', 'pause_requested'],
      ['resume', 'start_pending'],
      ['stop', 'stopped'],
    ];
    for (const [action, state] of steps) {
      const reply = await admin.post(`/deliveries/${id}/${action}`);
      assert.equal(reply.status, 303, `${action}: ${reply.text}`);
      assert.equal((await delivery(id)).state, state, action);
    }
    assert.equal(await h.db.models.BroadLog.count({ where: { deliveryId: id, status: 'pending' } }), 0, 'stopping cancels the pending messages');
    assert.equal(
      await h.db.models.AuditEntry.count({ where: { targetId: String(id), action: ['delivery_paused', 'delivery_resumed', 'delivery_stopped'] } }),
      3,
    );
    const refused = await admin.post(`/deliveries/${id}/resume`);
    assert.equal(refused.status, 409);
    assert.match(refused.text, /only a paused delivery can resume/);
  });

  it('sends proofs to seed addresses as a chosen recipient', async () => {
    const reply = await admin.post(`/deliveries/${deliveryId}/proof`, { seeds: 'qa1@example.net, qa2@example.net\nqa1@example.net', as: 'ann@example.com' });
    assert.equal(reply.status, 303, reply.text);
    const proof = await delivery(idFrom(reply.location));
    assert.equal(proof.kind, 'proof');
    assert.equal(proof.state, 'start_pending');
    assert.deepEqual(
      (await h.db.models.BroadLog.findAll({ where: { deliveryId: proof.id }, order: [['address', 'ASC']] })).map((b) => b.address),
      ['qa1@example.net', 'qa2@example.net'],
    );
    const page = await admin.get(`/deliveries/${deliveryId}`);
    assert.match(page.text, new RegExp(`href="/deliveries/${proof.id}"`), 'the delivery lists its proofs');
    assert.equal((await admin.post(`/deliveries/${deliveryId}/proof`, { seeds: ' ' })).status, 400);
  });

  it('refuses a proof with an invalid seed, naming each one as typed and keeping what was typed, and sends nothing', async () => {
    const proofs = await h.db.models.Delivery.count({ where: { kind: 'proof' } });
    const typed = 'qa1@example.net, not an address\nqa2@example,net';
    const reply = await admin.post(`/deliveries/${deliveryId}/proof`, { seeds: typed });
    assert.equal(reply.status, 400);
    const errors = /<ul class="plain field-error" id="seeds-errors"[^>]*>([\s\S]*?)<\/ul>/.exec(reply.text)?.[1] ?? '';
    assert.deepEqual(
      [...errors.matchAll(/<li>(.*?)<\/li>/g)].map((m) => /“(.*?)”/.exec(m[1]!)?.[1]),
      ['not an address', 'qa2@example', 'net'],
      'one message per invalid seed; spaces stay inside a seed, a comma starts another',
    );
    assert.match(reply.text, /<textarea name="seeds"[^>]*aria-invalid="true">qa1@example.net, not an address\nqa2@example,net<\/textarea>/);
    assert.equal(await h.db.models.Delivery.count({ where: { kind: 'proof' } }), proofs);
  });

  it('creates a template, never analyses it, and starts new deliveries from it', async () => {
    const reply = await admin.post(
      '/deliveries/templates',
      form({ internalName: 'tpl-weekly', label: 'Weekly template', subject: 'Weekly for <%= recipient.firstName %>' }),
    );
    assert.equal(reply.status, 303);
    const template = await delivery(idFrom(reply.location));
    assert.equal(template.isTemplate, true);
    assert.equal((await admin.post(`/deliveries/${template.id}/analyse`)).status, 409);
    const page = await admin.get(`/deliveries/new?from=${template.id}`);
    assert.match(page.text, /value="Weekly for &lt;%= recipient.firstName %&gt;"/);
    assert.match(page.text, new RegExp(`name="templateId" value="${template.id}"`));
    const made = await admin.post('/deliveries', form({ internalName: 'weekly-1', templateId: String(template.id) }));
    assert.equal((await delivery(idFrom(made.location))).templateId, template.id);
    const list = await admin.get('/deliveries/templates');
    assert.match(list.text, /Weekly template/);
    assert.doesNotMatch((await admin.get('/deliveries')).text, /Weekly template/, 'templates are not listed with deliveries');
  });
});

/** What the MTA does: take the delivery, settle its two messages (one sent, one failed), finish it. */
async function simulateSending(h: ConsoleHarness, deliveryId: number): Promise<void> {
  const logs = await h.db.models.BroadLog.findAll({ where: { deliveryId }, order: [['id', 'ASC']] });
  await h.db.write(async (transaction) => {
    await h.db.models.BroadLog.update({ status: 'sent', sentAt: new Date() }, { where: { id: logs[0]!.id }, transaction });
    await h.db.models.BroadLog.update({ status: 'failed', failureType: 'hard', failureReason: 'user_unknown' }, { where: { id: logs[1]!.id }, transaction });
    await h.db.models.Delivery.update(
      { state: 'finished', processed: 2, sent: 1, failed: 1, startedAt: new Date(Date.now() - 60_000), finishedAt: new Date() },
      { where: { id: deliveryId }, transaction },
    );
  });
}
