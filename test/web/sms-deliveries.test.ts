import assert from 'node:assert/strict';
import { silentLogger } from '../../server/shared/logger.js';
import { startSmsService, type SmsService } from '../../server/sms/sms-service.js';
import { until } from '../helpers/mta.js';
import { startSmsc, type Smsc } from '../helpers/smsc.js';
import { addOperator, ConsoleClient, startConsole, type ConsoleHarness } from './helpers/console.js';
import { deliveryForm } from './helpers/delivery-form.js';

/** An SMS delivery made in the console: preview with its segments and cost, sent through the SMS module to a real SMSC, receipts and replies in its report (and no email figure). */
describe('console SMS deliveries: create, preview segments, send, receipts in the report', function () {
  this.timeout(60_000);
  let h: ConsoleHarness;
  let smsc: Smsc;
  let sms: SmsService | undefined;
  let admin: ConsoleClient;

  before(async () => {
    smsc = await startSmsc({ undeliverable: ['+33612345602'] });
    h = await startConsole(
      `[sms]\nidlePollMs = 50\ncommitIntervalMs = 20\n[[sms.connectors]]\nname = "op"\nhost = "127.0.0.1"\nport = ${smsc.port}\nsystemId = "herald"\npassword = "secret"\nsourceAddress = "36111"\n`,
    );
    const op = await addOperator(h.db, 'root', ['admin']);
    admin = new ConsoleClient(h.base);
    await admin.login(op.login, op.password);
    await admin.get('/deliveries');
    const now = new Date();
    for (const [email, mobile, firstName] of [
      ['ann@example.com', '+33612345601', 'Ann'],
      ['bob@example.com', '+33612345602', 'Bob'],
      ['cy@example.com', null, 'Cy'],
    ])
      await h.db.models.Recipient.create({ email, mobile, firstName, createdAt: now, updatedAt: now } as never);
  });
  after(async () => {
    await sms?.stop();
    await smsc.close();
    await h.close();
  });

  it('creates an SMS delivery without subject nor sender, previews its encoding and segments, sends it and reports its receipts', async () => {
    const created = await admin.post(
      '/deliveries',
      deliveryForm({
        internalName: 'sms-spring',
        label: 'Spring SMS',
        channel: 'sms',
        subject: '',
        fromName: '',
        fromAddress: '',
        html: '',
        text: 'Hi <%= recipient.firstName %>, -20% on everything today at our shops. Reply STOP to 36111 to unsubscribe. Выгодно!',
      }),
    );
    assert.equal(created.status, 303, created.text);
    const id = Number(/\/deliveries\/(\d+)/.exec(created.location ?? '')?.[1]);
    assert.equal((await h.db.models.Delivery.findByPk(id))!.channel, 'sms');

    const preview = await admin.get(`/deliveries/${id}/preview`);
    assert.equal(preview.status, 200);
    assert.match(preview.text, /id="preview-sms-encoding">UCS-2/);
    assert.match(preview.text, /id="preview-sms-segments">2 <span class="muted">sent as one concatenated message/);
    assert.match(preview.text, /known after the analysis/);
    assert.match(preview.text, /Hi Ann, -20%/);

    assert.match((await admin.post(`/deliveries/${id}/analyse`)).location!, /notice=analysed/);
    const d = (await h.db.models.Delivery.findByPk(id))!;
    assert.deepEqual([d.toDeliver, d.excluded], [2, 1], 'the recipient without a mobile number is excluded');
    assert.match((await admin.get(`/deliveries/${id}/preview`)).text, /4 segments for the messages to deliver/);

    assert.equal((await admin.post(`/deliveries/${id}/start`)).status, 303);
    sms = await startSmsService(h.db, h.instance.config, silentLogger());
    await until(
      async () => (await h.db.models.BroadLog.count({ where: { deliveryId: id, receiptStatus: ['delivered', 'undeliverable'] } })) === 2,
      20_000,
      'the receipts',
    );

    // replies through the SMSC: Ann answers STOP, Bob asks something, a number the delivery never reached says STOP
    await smsc.mo('+33612345601', 'STOP');
    await smsc.mo('+33612345602', 'Who is this?');
    await smsc.mo('+33699999999', 'STOP');
    await until(async () => (await h.db.models.SmsInbound.count()) === 3, 20_000, 'the replies');

    const report = await admin.get(`/reports/deliveries/${id}`);
    assert.equal(report.status, 200);
    const cell = (id: string) => new RegExp(`href="/reports/definitions#${id}">[^<]+</a></td><td class="num">(\\d+)</td>`).exec(report.text)?.[1];
    assert.deepEqual(
      ['sent', 'failed', 'sms_delivered', 'sms_undeliverable', 'sms_expired', 'sms_no_receipt', 'sms_stop_replies', 'sms_other_replies', 'sms_segments'].map(
        cell,
      ),
      ['1', '1', '1', '1', '0', '0', '1', '1', '4'],
    );
    const failedBecause = [...report.text.matchAll(/<td>Failed: ([^<]+)<\/td><td class="num">(\d+)<\/td>/g)].map((m) => [m[1], m[2]]);
    assert.deepEqual(failedBecause, [['user unknown', '1']], 'the undeliverable receipt, by its reason');
    for (const emailOnly of ['recipient_opens', 'estimated_opens', 'complaints', 'mirror_views', 'forwards', 'reactivity'])
      assert.doesNotMatch(report.text, new RegExp(`definitions#${emailOnly}"`), `an SMS report has no ${emailOnly}`);
    assert.doesNotMatch(report.text, /data-note="complaints"/);
    assert.match(report.text, /data-note="cost"/);
  });
});
