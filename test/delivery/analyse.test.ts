import assert from 'node:assert/strict';
import type { Database } from '../../server/db/connect.js';
import { createNewDelivery, pauseDelivery, resumeDelivery, sendProof, startDelivery, stopDelivery, type NewDelivery } from '../../server/delivery/actions.js';
import { analyseDelivery, type DeliveryDeps } from '../../server/delivery/analyse.js';
import { buildMessages } from '../../server/delivery/build-message.js';
import { previewBroadLog, previewDelivery } from '../../server/delivery/preview.js';
import { loadCompiledDelivery, recipientsForLogs } from '../../server/delivery/sending.js';
import type { TargetSpec } from '../../server/delivery/target-spec.js';
import { broadLogsOf } from '../../server/db/repos/delivery-logs.js';
import { decodeRecipientToken } from '../../server/shared/tokens.js';
import { silentLogger } from '../../server/shared/logger.js';
import { createInstance, openTestDb, type TestInstance } from '../helpers/instance.js';

const NOW = new Date('2026-03-01T10:00:00Z');
const HTML = `<html><body><p>Hi <%= recipient.firstName %></p>
<a href="https://shop.example.com/p?id=<%= recipient.id %>&amp;src=mail">Shop</a>
<a href="https://shop.example.com/prefs" data-herald="opt-out">Preferences</a>
<a href="<%= links.mirror %>">View online</a> <a href="<%= links.unsubscribe %>">Unsubscribe</a></body></html>`;
const TEXT = 'Hi <%= recipient.firstName %>\nhttps://shop.example.com/p?id=<%= recipient.id %>&src=mail\n<%= links.unsubscribe %>\n';

/** id → [email, subscription, extras]; see the expected exclusions in the test below. */
const PEOPLE: Array<[string, 'active' | 'unsubscribed' | 'expired' | null, Record<string, unknown>]> = [
  ['ann@example.com', 'active', { firstName: 'Ann', fields: { city: 'Paris' } }],
  ['bob@example.com', 'active', { denylisted: true, emailFormat: 'text' }],
  ['carl@example.com', 'active', {}],
  ['dora@example.com', 'active', {}],
  ['Ann@Example.com', 'active', {}],
  ['not-an-address', 'active', {}],
  ['', 'active', {}],
  ['eve@example.com', 'unsubscribed', {}],
  ['fay@example.com', 'active', { denylistedEmail: true }],
  ['gus@example.com', 'active', { erasedAt: NOW }],
  ['hal@example.com', 'active', { emailFormat: 'text', fields: { city: 'Lyon' } }],
  ['ida@example.com', 'expired', {}],
  ['jon@example.com', null, { fields: { city: 'Paris' } }],
];

async function seed(db: Database): Promise<{ serviceId: number; listId: number }> {
  return db.write(async (transaction) => {
    const service = await db.models.Service.create({ name: 'news', label: 'The News', createdAt: NOW, updatedAt: NOW }, { transaction });
    const list = await db.models.List.create(
      { name: 'vip', label: 'VIP', description: null, expiresAt: null, createdAt: NOW, updatedAt: NOW },
      { transaction },
    );
    for (const [i, [email, subscription, extra]] of PEOPLE.entries()) {
      await db.models.Recipient.create({ id: i + 1, email, firstName: null, lastName: null, createdAt: NOW, updatedAt: NOW, ...extra } as never, {
        transaction,
      });
      if (subscription) {
        const expiresAt = subscription === 'expired' ? new Date('2026-01-01T00:00:00Z') : null;
        await db.models.Subscription.create(
          {
            serviceId: service.id,
            recipientId: i + 1,
            status: subscription === 'unsubscribed' ? 'unsubscribed' : 'active',
            expiresAt,
            createdAt: NOW,
            updatedAt: NOW,
          },
          { transaction },
        );
      }
    }
    for (const id of [1, 11, 13]) await db.models.ListMember.create({ listId: list.id, recipientId: id, createdAt: NOW }, { transaction });
    const q = (address: string, status: 'quarantine' | 'denylisted' | 'with_errors') =>
      db.models.Quarantine.create({ address, domain: 'example.com', status, createdAt: NOW, updatedAt: NOW }, { transaction });
    await q('carl@example.com', 'quarantine');
    await q('dora@example.com', 'denylisted');
    await q('hal@example.com', 'with_errors');
    return { serviceId: service.id, listId: list.id };
  });
}

describe('delivery analysis on a seeded database', () => {
  let instance: TestInstance;
  let db: Database;
  let deps: DeliveryDeps;
  let ids: { serviceId: number; listId: number };
  let counter = 0;

  const create = (overrides: Partial<NewDelivery> = {}) =>
    createNewDelivery(deps, {
      internalName: `d${++counter}`,
      label: 'Spring',
      kind: 'marketing',
      subject: 'Hi <%= recipient.firstName %>',
      fromName: 'Shop',
      fromAddress: 'news@example.com',
      replyTo: null,
      html: HTML,
      text: TEXT,
      headers: {},
      target: { kind: 'service', serviceId: ids.serviceId },
      exclusions: { duplicates: true, denylisted: true, quarantined: true, limit: null },
      serviceId: null,
      trackingEnabled: true,
      openTracking: true,
      scheduledAt: null,
      validityEnd: null,
      ...overrides,
    });
  const analyse = (d: { id: number }) => analyseDelivery(deps, d.id, { now: () => NOW });

  before(async () => {
    instance = createInstance();
    db = await openTestDb(instance);
    deps = { db, config: instance.config, log: silentLogger(), dkim: [] };
    ids = await seed(db);
  });
  after(async () => {
    await db.close();
    instance.cleanup();
  });

  it('counts the target and excludes by reason, with one exclusion log per excluded recipient', async () => {
    const d = await create();
    const report = await analyse(d);
    assert.equal(report.state, 'ready');
    assert.deepEqual({ total: report.totalTarget, excluded: report.excluded, toDeliver: report.toDeliver }, { total: 9, excluded: 7, toDeliver: 2 });
    assert.deepEqual(report.excludedByReason, { denylisted: 3, quarantined: 1, duplicate: 1, invalid_address: 1, address_not_specified: 1 });
    const logs = await db.models.ExclusionLog.findAll({ where: { deliveryId: d.id }, order: [['recipientId', 'ASC']] });
    assert.deepEqual(
      logs.map((l) => [l.recipientId, l.reason]),
      [
        [2, 'denylisted'],
        [3, 'quarantined'],
        [4, 'denylisted'],
        [5, 'duplicate'],
        [6, 'invalid_address'],
        [7, 'address_not_specified'],
        [9, 'denylisted'],
      ],
    );
    const row = (await db.models.Delivery.findByPk(d.id))!;
    assert.deepEqual([row.state, row.totalTarget, row.excluded, row.toDeliver], ['ready', 9, 7, 2]);
    assert.deepEqual((row.analysis as { excluded: unknown }).excluded, report.excludedByReason);
  });

  it('creates one pending broad log per message and the tracking URLs of the contract', async () => {
    const d = await create();
    await analyse(d);
    const logs = await db.models.BroadLog.findAll({ where: { deliveryId: d.id }, order: [['recipientId', 'ASC']] });
    assert.deepEqual(
      logs.map((l) => [l.recipientId, l.address, l.emailFormat, l.status, l.attempts, l.nextAttemptAt]),
      [
        [1, 'ann@example.com', 'html', 'pending', 0, null],
        [11, 'hal@example.com', 'text', 'pending', 0, null],
      ],
    );
    const urls = await db.models.TrackingUrl.findAll({ where: { deliveryId: d.id }, order: [['id', 'ASC']] });
    assert.deepEqual(
      urls.map((u) => [u.type, u.url, u.label]),
      [
        ['click', 'https://shop.example.com/p?id={p1}&src=mail', 'Shop'],
        ['opt_out', 'https://shop.example.com/prefs', 'Preferences'],
        ['open', '', 'Open'],
        ['mirror', '', 'Mirror page'],
      ],
    );
  });

  it('narrows the target with conditions, reads lists, and applies the limit', async () => {
    const cases: Array<[string, TargetSpec, number | null, number, Record<string, number>]> = [
      ['every recipient living in Paris', { kind: 'all', filter: { field: 'fields.city', op: 'eq', value: 'Paris' } }, null, 2, {}],
      ['the list members not in Lyon', { kind: 'list', listId: ids.listId, filter: { not: { field: 'fields.city', op: 'eq', value: 'Lyon' } } }, null, 2, {}],
      [
        'subscribers with a text preference or in the VIP list',
        { kind: 'service', serviceId: ids.serviceId, filter: { any: [{ field: 'emailFormat', op: 'eq', value: 'text' }, { inList: 'vip' }] } },
        null,
        2,
        { denylisted: 1 },
      ],
      ['the service limited to one message', { kind: 'service', serviceId: ids.serviceId }, 1, 1, { target_limited: 1 }],
    ];
    for (const [title, target, limit, toDeliver, reasons] of cases) {
      const report = await analyse(await create({ target, exclusions: { duplicates: true, denylisted: true, quarantined: true, limit } }));
      assert.equal(report.toDeliver, toDeliver, `${title}: ${JSON.stringify(report)}`);
      for (const [reason, n] of Object.entries(reasons)) assert.equal(report.excludedByReason[reason as 'denylisted'], n, `${title}: ${reason}`);
    }
  });

  it('analyses a delivery a marketing workflow created (target written as {type: "list"}, targeting pending)', async () => {
    const d = await create({ target: { kind: 'list', listId: ids.listId } });
    await db.models.Delivery.update({ state: 'targeting_pending', target: { type: 'list', listId: ids.listId, list: 'vip' } } as never, {
      where: { id: d.id },
    });
    const report = await analyse(d);
    assert.deepEqual([report.state, report.totalTarget, report.toDeliver], ['ready', 3, 3]);
  });

  it('blocks the start when a control rule fails, and writes no message', async () => {
    const d = await create({ html: '<p>Hi <%= recipient.fields.plan %></p><a href="https://<%= recipient.fields.shop %>/x">x</a>', text: null });
    const report = await analyse(d);
    assert.equal(report.state, 'editing');
    const rules = report.issues.map((i) => `${i.level} ${i.rule}`);
    for (const expected of [
      'error links.host',
      'error unsubscribe.html',
      'info text.generated',
      'error unsubscribe.text',
      'warning fields.custom',
      'warning from.dkim',
    ])
      assert.ok(rules.includes(expected), `${expected} in ${rules}`);
    assert.equal(await db.models.BroadLog.count({ where: { deliveryId: d.id } }), 0);
    await assert.rejects(startDelivery(deps, d.id, NOW), /must be analysed/);
  });

  it('replaces the previous analysis when analysed again', async () => {
    const d = await create();
    await analyse(d);
    const report = await analyse(d);
    assert.equal(await db.models.BroadLog.count({ where: { deliveryId: d.id } }), report.toDeliver);
    assert.equal(await db.models.ExclusionLog.count({ where: { deliveryId: d.id } }), report.excluded);
    assert.equal(await db.models.TrackingUrl.count({ where: { deliveryId: d.id } }), 4);
  });

  it('starts, pauses, resumes and stops, cancelling the pending messages', async () => {
    const d = await create();
    await analyse(d);
    const started = await startDelivery(deps, d.id, NOW);
    assert.equal(started.state, 'start_pending');
    assert.equal(started.validityEnd!.toISOString(), '2026-03-06T10:00:00.000Z');
    assert.equal((await pauseDelivery(deps, d.id, NOW)).state, 'paused');
    assert.equal((await resumeDelivery(deps, d.id, NOW)).state, 'start_pending');
    const { delivery, cancelled } = await stopDelivery(deps, d.id, NOW);
    assert.deepEqual([delivery.state, cancelled], ['stopped', 2]);
    assert.equal(await db.models.BroadLog.count({ where: { deliveryId: d.id, status: 'cancelled' } }), 2);
    await assert.rejects(resumeDelivery(deps, d.id, NOW), /only a paused delivery can resume/);
  });

  it('previews for any recipient without sending, with untracked links before the analysis', async () => {
    const d = await create();
    const before = await previewDelivery(deps, d.id, 'jon@example.com', NOW);
    assert.equal(before.tracked, false);
    assert.match(before.html!, /href="https:\/\/shop\.example\.com\/p\?id=13&amp;src=mail"/);
    await analyse(d);
    const after = await previewDelivery(deps, d.id, undefined, NOW);
    assert.equal(after.tracked, true);
    assert.equal(after.recipient.email, 'ann@example.com');
    assert.equal(after.subject, 'Hi Ann');
    assert.match(after.html!, /href="http:\/\/localhost:8081\/r\//);
    assert.ok(after.headers!.some(([k]) => k === 'List-Unsubscribe-Post'));
    assert.equal(await db.models.BroadLog.count({ where: { deliveryId: d.id, status: 'sent' } }), 0);
    const [first] = await broadLogsOf(db, d.id, 0, 1);
    assert.match((await previewBroadLog(deps, d.id, first!.id, NOW))!.html!, /Hi Ann/);
  });

  it('sends proofs to seed addresses with the content of the delivery, ready for the MTA', async () => {
    const d = await create();
    const seeds = ['seed1@proof.test', 'SEED1@proof.test', 'seed2@proof.test', 'not-an-address'];
    const { proof, report, started } = await sendProof(deps, d.id, seeds, 'ann@example.com', NOW);
    assert.ok(started);
    assert.deepEqual([proof.kind, proof.state, report.toDeliver, report.excludedByReason], ['proof', 'start_pending', 2, { duplicate: 1, invalid_address: 1 }]);
    const logs = await broadLogsOf(db, proof.id, 0, 10);
    assert.deepEqual(
      logs.map((l) => [l.address, l.recipientId, l.status]),
      [
        ['seed1@proof.test', 1, 'pending'],
        ['seed2@proof.test', 1, 'pending'],
      ],
    );
    const compiled = await loadCompiledDelivery(deps, proof.id);
    const recipients = await recipientsForLogs(db, logs);
    const built = buildMessages(
      compiled,
      logs.map((l) => ({ recipient: recipients.get(l.id)!, log: l })),
      NOW,
    );
    for (const [i, m] of built.entries()) {
      assert.ok(m.ok);
      assert.equal(m.envelope.to, logs[i]!.address);
      assert.equal(m.subject, 'Hi Ann', 'personalized as the chosen recipient');
      const token = /List-Unsubscribe: <[^>]*\/u\/([^>]+)>/.exec(m.raw.toString())![1]!;
      assert.equal(decodeRecipientToken({ current: instance.config.secrets.trackingKey }, token, 0)!.recipientId, 0, 'a proof never unsubscribes anyone');
    }
  });

  it('refuses a proof to more seed addresses than allowed', async () => {
    const d = await create();
    const seeds = Array.from({ length: instance.config.delivery.maxProofRecipients + 1 }, (_, i) => `seed${i}@proof.test`);
    const { started, report } = await sendProof(deps, d.id, seeds, undefined, NOW);
    assert.equal(started, false);
    assert.ok(report.issues.some((i) => i.rule === 'proof.size' && i.level === 'error'));
  });
});
