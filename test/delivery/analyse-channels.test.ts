import assert from 'node:assert/strict';
import type { Database } from '../../server/db/connect.js';
import { createNewDelivery, type NewDelivery } from '../../server/delivery/actions.js';
import { analyseDelivery, type DeliveryDeps } from '../../server/delivery/analyse.js';
import { sendingDeliveries } from '../../server/db/repos/mta-queue.js';
import { silentLogger } from '../../server/shared/logger.js';
import { createInstance, openTestDb, type TestInstance } from '../helpers/instance.js';

const NOW = new Date('2026-03-01T10:00:00Z');

/** id → [email, mobile, extras]: the same people reached by email or by SMS, excluded per channel. */
const PEOPLE: Array<[string, string | null, Record<string, unknown>]> = [
  ['ann@example.com', '+33612345678', {}],
  ['bob@example.com', null, {}],
  ['carl@example.com', '+33612345679', {}],
  ['dora@example.com', '+33612345680', { denylistedSms: true }],
  ['eve@example.com', '+33612345681', { denylistedEmail: true }],
  ['fay@example.com', '+33612345678', {}],
  ['gus@example.com', '0612345682', {}],
  ['hal@example.com', '+33612345683', { denylisted: true }],
];

async function seed(db: Database): Promise<void> {
  await db.write(async (transaction) => {
    for (const [i, [email, mobile, extra]] of PEOPLE.entries())
      await db.models.Recipient.create({ id: i + 1, email, mobile, createdAt: NOW, updatedAt: NOW, ...extra } as never, { transaction });
    const q = (address: string, channel: 'email' | 'sms') =>
      db.models.Quarantine.create(
        { address, channel, domain: channel === 'sms' ? 'sms' : 'example.com', status: 'quarantine', createdAt: NOW, updatedAt: NOW },
        { transaction },
      );
    await q('+33612345679', 'sms'); // carl's number
    await q('ann@example.com', 'email'); // ann's address
  });
}

describe('delivery analysis per channel', () => {
  let instance: TestInstance;
  let db: Database;
  let deps: DeliveryDeps;
  let counter = 0;

  const create = (overrides: Partial<NewDelivery> = {}) =>
    createNewDelivery(deps, {
      internalName: `c${++counter}`,
      label: 'Spring',
      kind: 'marketing',
      subject: 'Spring',
      fromName: 'Shop',
      fromAddress: 'news@example.com',
      replyTo: null,
      html: null,
      text: 'Hi <%= recipient.firstName %>, -20% today. STOP to unsubscribe',
      headers: {},
      target: { kind: 'all' },
      exclusions: { duplicates: true, denylisted: true, quarantined: true, limit: null },
      serviceId: null,
      trackingEnabled: false,
      openTracking: false,
      scheduledAt: null,
      validityEnd: null,
      ...overrides,
    });

  before(async () => {
    instance = createInstance();
    db = await openTestDb(instance);
    deps = { db, config: instance.config, log: silentLogger(), dkim: [] };
    await seed(db);
  });
  after(async () => {
    await db.close();
    instance.cleanup();
  });

  const exclusions = async (deliveryId: number) =>
    (await db.models.ExclusionLog.findAll({ where: { deliveryId }, order: [['recipientId', 'ASC']] })).map((l) => [l.recipientId, l.reason, l.detail]);
  const messages = async (deliveryId: number) =>
    (await db.models.BroadLog.findAll({ where: { deliveryId }, order: [['recipientId', 'ASC']] })).map((l) => [l.recipientId, l.address]);

  it('sends an SMS delivery to mobile numbers: a number quarantined or opted out of SMS is excluded, an email quarantine or opt-out is not', async () => {
    const d = await create({ channel: 'sms' });
    const report = await analyseDelivery(deps, d.id, { now: () => NOW });
    assert.equal(report.state, 'ready', JSON.stringify(report.issues));
    assert.deepEqual(await messages(d.id), [
      [1, '+33612345678'],
      [5, '+33612345681'],
    ]);
    assert.deepEqual(await exclusions(d.id), [
      [2, 'address_not_specified', null],
      [3, 'quarantined', null],
      [4, 'denylisted', 'recipient denylisted for SMS'],
      [6, 'duplicate', null],
      [7, 'invalid_address', 'mobile number "0612345682" is not in E.164 form (+<country code><number>)'],
      [8, 'denylisted', 'recipient denylisted on every channel'],
    ]);
  });

  it('sends the email delivery of the same target by address: the number quarantine and the SMS opt-out do not block it', async () => {
    const d = await create({ html: '<p>Hi <a href="<%= links.unsubscribe %>">Unsubscribe</a></p>', text: null });
    await analyseDelivery(deps, d.id, { now: () => NOW });
    assert.deepEqual(
      (await messages(d.id)).map(([id]) => id),
      [2, 3, 4, 6, 7],
    );
    assert.deepEqual(
      (await exclusions(d.id)).map(([id, reason]) => [id, reason]),
      [
        [1, 'quarantined'],
        [5, 'denylisted'],
        [8, 'denylisted'],
      ],
    );
  });

  it('runs the control rules of the channel: an SMS needs no subject nor sender, but its text, and a marketing SMS says how to stop', async () => {
    const d = await create({ channel: 'sms', subject: '', fromAddress: '', text: 'Hi, -20% today', html: '<p>ignored</p>' });
    const report = await analyseDelivery(deps, d.id, { now: () => NOW });
    assert.equal(report.state, 'ready');
    assert.deepEqual(
      report.issues.map((i) => [i.rule, i.level]),
      [['sms.stop', 'warning']],
    );
    const empty = await create({ channel: 'sms', text: '', html: null });
    const blocked = await analyseDelivery(deps, empty.id, { now: () => NOW });
    assert.equal(blocked.state, 'editing');
    assert.ok(blocked.issues.some((i) => i.rule === 'sms.text' && i.level === 'error'));
  });

  it('hands each channel its own deliveries: the MTA reads the email ones, the SMS module the SMS ones', async () => {
    const email = await create({ html: '<p><a href="<%= links.unsubscribe %>">Unsubscribe</a></p>', text: null });
    const sms = await create({ channel: 'sms' });
    for (const d of [email, sms]) await db.models.Delivery.update({ state: 'start_pending' }, { where: { id: d.id } });
    const ids = async (channel: 'email' | 'sms') => (await sendingDeliveries(db, NOW, channel)).map((d) => d.id);
    assert.deepEqual(await ids('email'), [email.id]);
    assert.deepEqual(await ids('sms'), [sms.id]);
    await db.models.Delivery.update({ state: 'editing' }, { where: { id: [email.id, sms.id] } });
  });
});
