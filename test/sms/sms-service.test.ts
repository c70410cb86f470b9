import assert from 'node:assert/strict';
import type { Database } from '../../server/db/connect.js';
import { createNewDelivery, startDelivery, type NewDelivery } from '../../server/delivery/actions.js';
import { analyseDelivery, type DeliveryDeps } from '../../server/delivery/analyse.js';
import { receiptCounts } from '../../server/db/repos/sms.js';
import { silentLogger } from '../../server/shared/logger.js';
import { startSmsService, type SmsService } from '../../server/sms/sms-service.js';
import { createInstance, openTestDb, type TestInstance } from '../helpers/instance.js';
import { until } from '../helpers/mta.js';
import { startSmsc, type Smsc, type SmscOptions } from '../helpers/smsc.js';

/** The SMS module in process against a real SMSC (the `smpp` package's server side) on 127.0.0.1. */

const PEOPLE: Array<[email: string, mobile: string, firstName: string]> = [
  ['ann@example.com', '+33612345601', 'Ann'],
  ['bob@example.com', '+33612345602', 'Bob'],
  ['cy@example.com', '+33612345603', 'Zoé'],
  ['dee@example.com', '+33612345604', 'Дина'],
];

describe('the SMS module against a real SMSC', function () {
  this.timeout(60_000);
  let instance: TestInstance;
  let db: Database;
  let smsc: Smsc;
  let service: SmsService | undefined;
  let counter = 0;

  const connectorToml = (port: number, extra = '') =>
    `[sms]\nidlePollMs = 50\ncommitIntervalMs = 20\nretryDelaySec = 1\n[[sms.connectors]]\nname = "op"\nhost = "127.0.0.1"\nport = ${port}\nsystemId = "herald"\npassword = "secret"\nsourceAddress = "36111"\nwindowSize = 5\nenquireLinkSec = 1\n${extra}`;

  async function setUp(options: SmscOptions = {}, extra = '') {
    smsc = await startSmsc(options);
    instance = createInstance(connectorToml(smsc.port, extra));
    db = await openTestDb(instance);
    const now = new Date();
    for (const [email, mobile, firstName] of PEOPLE) await db.models.Recipient.create({ email, mobile, firstName, createdAt: now, updatedAt: now } as never);
    service = await startSmsService(db, instance.config, silentLogger());
  }

  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await smsc.close();
    await db.close();
    instance.cleanup();
  });

  const deps = (): DeliveryDeps => ({ db, config: instance.config, log: silentLogger(), dkim: [] });
  async function send(overrides: Partial<NewDelivery> = {}) {
    const d = await createNewDelivery(deps(), {
      internalName: `sms${++counter}`,
      label: 'Spring SMS',
      kind: 'marketing',
      channel: 'sms',
      subject: '',
      fromName: null,
      fromAddress: '',
      replyTo: null,
      html: null,
      text: 'Hi <%= recipient.firstName %>, -20% today: https://shop.example.com/spring?id=<%= recipient.id %> STOP 36111',
      headers: {},
      target: { kind: 'all' },
      exclusions: { duplicates: true, denylisted: true, quarantined: true, limit: null },
      serviceId: null,
      trackingEnabled: true,
      openTracking: false,
      scheduledAt: null,
      validityEnd: null,
      ...overrides,
    });
    const report = await analyseDelivery(deps(), d.id);
    assert.equal(report.state, 'ready', JSON.stringify(report.issues));
    await startDelivery(deps(), d.id, new Date());
    return d.id;
  }
  const delivery = async (id: number) => (await db.models.Delivery.findByPk(id))!;
  const logs = async (id: number) => db.models.BroadLog.findAll({ where: { deliveryId: id }, order: [['id', 'ASC']] });

  it('sends a personalized SMS delivery: GSM-7 or UCS-2 as the text needs, tracked links, one receipt matched per message, then finished', async () => {
    await setUp();
    const id = await send();
    await until(async () => (await delivery(id)).state === 'finished', 20_000, 'the delivery to finish');
    await until(async () => (await logs(id)).every((l) => l.receiptStatus === 'delivered'), 10_000, 'every receipt');
    const d = await delivery(id);
    assert.deepEqual([d.sent, d.failed, d.processed], [4, 0, 4]);
    const seen = (n: string) => smsc.submits.filter((s) => s.destination === n);
    assert.deepEqual(
      PEOPLE.map(([, n]) => [seen(n).length, seen(n)[0]?.dataCoding]),
      [
        [1, 0],
        [1, 0],
        [1, 0],
        [2, 8],
      ],
      'GSM-7 for Latin texts (é is in the GSM alphabet); UCS-2 for Cyrillic, 2 segments past 70 characters',
    );
    assert.match(seen('+33612345601')[0]!.text, /^Hi Ann, -20% today: http:\/\/\S+\/r\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{16}\?p1=\d+ STOP 36111$/);
    assert.match(seen('+33612345603')[0]!.text, /^Hi Zoé, /);
    assert.match(
      seen('+33612345604')
        .map((s) => s.text)
        .join(''),
      /^Hi Дина, -20% today: http:\/\/\S+ STOP 36111$/,
    );
    assert.deepEqual(
      (await logs(id)).map((l) => [l.status, l.segments, l.receiptStatus]),
      [
        ['sent', 1, 'delivered'],
        ['sent', 1, 'delivered'],
        ['sent', 1, 'delivered'],
        ['sent', 2, 'delivered'],
      ],
    );
    assert.deepEqual(await receiptCounts(db, id), { byStatus: { delivered: 4 }, segments: 5 });
    // each receipt is acknowledged once stored: the answers reach the SMSC right after the commit
    await until(() => smsc.receiptsAcked >= 5, 10_000, 'the SMSC to get every acknowledgement');
    assert.equal(smsc.receiptsAcked, 5);
  });

  it('splits a long text into concatenated segments with a User Data Header, and counts them', async () => {
    await setUp();
    const id = await send({
      text: `<%= recipient.firstName %> ${'x'.repeat(200)} STOP`,
      trackingEnabled: false,
      target: { kind: 'all', filter: { field: 'firstName', op: 'eq', value: 'Ann' } },
    });
    await until(async () => (await delivery(id)).state === 'finished', 20_000, 'the delivery to finish');
    assert.equal(smsc.submits.length, 2);
    const [first, second] = smsc.submits;
    assert.deepEqual([first!.esmClass & 0x40, [...first!.udh!.subarray(0, 3)], first!.udh![4], first!.udh![5], second!.udh![5]], [0x40, [5, 0, 3], 2, 1, 2]);
    assert.equal(first!.udh![3], second!.udh![3], 'both segments carry the same reference');
    assert.equal(first!.text + second!.text, `Ann ${'x'.repeat(200)} STOP`);
    await until(async () => (await logs(id))[0]?.receiptStatus === 'delivered', 10_000, 'the receipts');
    assert.equal((await logs(id))[0]!.segments, 2);
  });

  it('fails a message whose receipt says undeliverable and quarantines the number on SMS only', async () => {
    await setUp({ undeliverable: ['+33612345602'] });
    const id = await send();
    await until(async () => (await logs(id)).filter((l) => l.receiptStatus).length === 4, 20_000, 'every receipt');
    const bob = (await logs(id)).find((l) => l.address === '+33612345602')!;
    assert.deepEqual([bob.status, bob.failureType, bob.failureReason, bob.receiptStatus], ['failed', 'hard', 'user_unknown', 'undeliverable']);
    const d = await delivery(id);
    assert.deepEqual([d.sent, d.failed, d.newQuarantine], [3, 1, 1]);
    const quarantines = await db.models.Quarantine.findAll({ attributes: ['address', 'channel', 'status'], raw: true });
    assert.deepEqual(quarantines, [{ address: '+33612345602', channel: 'sms', status: 'quarantine' }]);
    const again = await send({ internalName: 'again' });
    assert.equal((await delivery(again)).toDeliver, 3, 'the next SMS delivery excludes the number');
  });

  it('slows down when the SMSC throttles (ESME_RTHROTTLED) instead of failing the messages', async () => {
    await setUp({ throttleFirst: 6 });
    const id = await send();
    await until(async () => (await delivery(id)).state === 'finished', 30_000, 'the delivery to finish');
    const d = await delivery(id);
    assert.deepEqual([d.sent, d.failed], [4, 0]);
    assert.deepEqual(smsc.submits.map((s) => s.destination).sort(), [...PEOPLE.map((p) => p[1]), '+33612345604'].sort(), 'each segment accepted once');
  });

  it('unsubscribes a number that answers STOP (or ARRÊT) and answers it; keeps other replies for review', async () => {
    await setUp();
    await until(() => smsc.sessions() === 1, 10_000, 'the bind');
    assert.equal(await smsc.mo('+33612345601', 'Arrêt'), 0, 'the reply is acknowledged once stored');
    assert.equal(await smsc.mo('+33612345602', 'What time do you open?'), 0);
    const ann = await db.models.Recipient.findOne({ where: { email: 'ann@example.com' } });
    assert.equal(ann!.denylistedSms, true);
    assert.equal(ann!.denylistedEmail, false, 'email stays');
    const inbound = await db.models.SmsInbound.findAll({ order: [['id', 'ASC']], raw: true });
    assert.deepEqual(
      inbound.map((i) => [i.source, i.text, i.keyword, i.action, i.recipients]),
      [
        ['+33612345601', 'Arrêt', 'ARRET', 'unsubscribed', 1],
        ['+33612345602', 'What time do you open?', null, 'review', 0],
      ],
    );
    await until(() => smsc.submits.some((s) => s.destination === '+33612345601'), 5000, 'the answer to STOP');
    assert.match(smsc.submits.find((s) => s.destination === '+33612345601')!.text, /no longer receive SMS/);
    const id = await send();
    assert.equal((await delivery(id)).toDeliver, 3, 'the number is excluded from the next SMS delivery');
  });

  it('answers STOP in the language of the number’s recipient, else the site’s', async () => {
    await setUp({}, '[languages]\ndefault = "de"');
    await db.models.Recipient.update({ language: 'es' }, { where: { email: 'bob@example.com' } });
    await db.models.Recipient.update({ language: 'en' }, { where: { email: 'cy@example.com' } });
    await until(() => smsc.sessions() === 1, 10_000, 'the bind');
    for (const number of ['+33612345602', '+33612345603', '+33612345604']) assert.equal(await smsc.mo(number, 'STOP'), 0);
    const answer = (number: string) => smsc.submits.find((s) => s.destination === number)?.text;
    await until(() => ['+33612345602', '+33612345603', '+33612345604'].every((n) => answer(n) !== undefined), 5000, 'the answers to STOP');
    assert.deepEqual(['+33612345602', '+33612345603', '+33612345604'].map(answer), [
      'Ya no recibirá más SMS de nuestra parte.',
      'You will no longer receive SMS from us.',
      'Sie erhalten keine SMS mehr von uns.',
    ]);
  });

  it('binds again after the SMSC drops the connection, and sends what was left', async () => {
    await setUp({}, 'reconnectMaxSec = 1\n');
    await until(() => smsc.sessions() === 1, 10_000, 'the bind');
    smsc.dropConnections();
    const id = await send();
    await until(async () => (await delivery(id)).state === 'finished', 20_000, 'the delivery to finish');
    assert.ok(smsc.binds >= 2, `bound ${smsc.binds} times`);
    assert.equal((await delivery(id)).sent, 4);
  });
});
