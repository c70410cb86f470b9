import assert from 'node:assert/strict';
import { saveSubscription } from '../../server/db/repos/push.js';
import { addOperator, ConsoleClient, startConsole, type ConsoleHarness } from './helpers/console.js';
import { deliveryForm } from './helpers/delivery-form.js';

/** The console's delivery form offers every channel: push, direct mail and fax deliveries made over HTTP and analysed. */
describe('console deliveries on the push, direct mail and fax channels', function () {
  this.timeout(60_000);
  let h: ConsoleHarness;
  let admin: ConsoleClient;

  before(async () => {
    h = await startConsole('[[routing.providers]]\nname = "printer"\nchannel = "direct_mail"\n');
    const op = await addOperator(h.db, 'root', ['admin']);
    admin = new ConsoleClient(h.base);
    await admin.login(op.login, op.password);
    const now = new Date();
    const ann = await h.db.models.Recipient.create({
      email: 'ann@example.com',
      firstName: 'Ann',
      addressLine1: '1 Rue de la Paix',
      postalCode: '75002',
      city: 'Paris',
      country: 'FR',
      fax: '+33142868001',
      createdAt: now,
      updatedAt: now,
    } as never);
    await h.db.models.Recipient.create({ email: 'bob@example.com', firstName: 'Bob', createdAt: now, updatedAt: now } as never);
    await saveSubscription(h.db, ann.id, { endpoint: 'https://push.example.net/ann', p256dh: 'B'.repeat(87), auth: 'A'.repeat(22) }, now);
  });
  after(async () => {
    await h.close();
  });

  it('lists every channel in the form', async () => {
    const form = await admin.get('/deliveries/new');
    assert.equal(form.status, 200);
    const select = /<select name="channel">[\s\S]*?<\/select>/.exec(form.text)?.[0] ?? '';
    const options = [...select.matchAll(/<option value="(email|sms|push|direct_mail|fax)"/g)].map((m) => m[1]);
    assert.deepEqual(options, ['email', 'sms', 'push', 'direct_mail', 'fax']);
  });

  const cases: Array<{ channel: string; fields: Record<string, string>; state: string; toDeliver: number; excluded: number; issue?: RegExp }> = [
    {
      channel: 'push',
      fields: {
        subject: '',
        text: '',
        html: '',
        pushTitle: 'Spring sale',
        pushBody: 'Hi <%= recipient.firstName %>',
        pushUrl: 'https://shop.example.com/spring',
      },
      state: 'ready',
      toDeliver: 1,
      excluded: 1,
    },
    { channel: 'direct_mail', fields: { subject: '', text: '', html: '' }, state: 'ready', toDeliver: 1, excluded: 1 },
    {
      channel: 'fax',
      fields: { subject: '', text: '', html: '' },
      state: 'editing',
      toDeliver: 0,
      excluded: 0,
      issue: /no \[\[routing\.providers\]\] is configured for fax/,
    },
  ];
  for (const c of cases)
    it(`creates a ${c.channel} delivery without a sender and analyses it${c.issue ? ', blocked while no provider serves the channel' : ''}`, async () => {
      const created = await admin.post(
        '/deliveries',
        deliveryForm({ internalName: `c-${c.channel.replace('_', '-')}`, label: c.channel, channel: c.channel, fromName: '', fromAddress: '', ...c.fields }),
      );
      assert.equal(created.status, 303, created.text);
      const id = Number(/\/deliveries\/(\d+)/.exec(created.location ?? '')?.[1]);
      assert.equal((await h.db.models.Delivery.findByPk(id))!.channel, c.channel);
      await admin.post(`/deliveries/${id}/analyse`);
      const d = (await h.db.models.Delivery.findByPk(id))!;
      assert.deepEqual([d.state, d.toDeliver, d.excluded], [c.state, c.toDeliver, c.excluded]);
      if (c.issue) assert.match((await admin.get(`/deliveries/${id}`)).text, c.issue);
    });
});
