import assert from 'node:assert/strict';
import { writeRecipient } from '../../server/db/repos/recipient-writes.js';
import { addOperator, ConsoleClient, startConsole, type ConsoleHarness } from './helpers/console.js';
import { deliveryForm } from './helpers/delivery-form.js';

const idFrom = (location: string | null) => Number(/\/deliveries\/(\d+)/.exec(location ?? '')?.[1]);

describe('console deliveries in time zones: the delivery form and its start', function () {
  this.timeout(60_000);
  let h: ConsoleHarness;
  let admin: ConsoleClient;
  before(async () => {
    h = await startConsole('', { tracker: true });
    h.clock.now = new Date('2026-03-07T12:00:00Z');
    const op = await addOperator(h.db, 'nina', ['admin']);
    admin = new ConsoleClient(h.base);
    await admin.login(op.login, op.password);
    await admin.get('/account');
    await admin.post('/account/preferences', { timeZone: 'America/New_York' });
    const audit = { at: h.clock.now, operatorId: null, operatorLogin: 'test', action: 'recipient_created' as const };
    await writeRecipient(h.db, 'create', { email: 'ann@example.com', firstName: 'Ann', timeZone: 'Europe/Paris' }, audit);
    await writeRecipient(h.db, 'create', { email: 'bob@example.com', firstName: 'Bob', country: 'JP' }, audit);
    await writeRecipient(h.db, 'create', { email: 'cy@example.com', firstName: 'Cy' }, audit);
  });
  after(async () => h.close());
  const delivery = async (id: number) => (await h.db.models.Delivery.findByPk(id))!;

  it('offers the operator’s zone on a new delivery, reads its dates in the zone chosen and shows them back in it', async () => {
    const blank = await admin.get('/deliveries/new');
    assert.match(blank.text, /name="timeZone" maxlength="64" list="time-zones" value="America\/New_York"/);
    const cases: Array<[string, string, string, string]> = [
      // zone, datetime-local typed, stored instant, why
      ['America/New_York', '2026-03-08T09:00', '2026-03-08T13:00:00.000Z', 'after clocks go forward that night (EDT)'],
      ['America/New_York', '2026-03-08T02:30', '2026-03-08T07:30:00.000Z', 'a time the night skips reads as 03:30 EDT'],
      ['Australia/Sydney', '2026-04-05T09:00', '2026-04-04T23:00:00.000Z', 'after clocks go back (AEST)'],
      ['', '2026-03-08T09:00', '2026-03-08T09:00:00.000Z', 'no zone: UTC'],
    ];
    for (const [i, [zone, typed, stored, why]] of cases.entries()) {
      const reply = await admin.post('/deliveries', deliveryForm({ internalName: `zoned-${i}`, timeZone: zone, scheduledAt: typed, localSendTime: '09:00' }));
      assert.equal(reply.status, 303, `${why}: ${reply.text.slice(0, 200)}`);
      const d = await delivery(idFrom(reply.location));
      assert.equal(d.scheduledAt!.toISOString(), stored, why);
      assert.equal(d.timeZone, zone || null, why);
      assert.equal(d.localSendTime, '09:00');
      const edit = await admin.get(`/deliveries/${d.id}/edit`);
      const shown = typed === '2026-03-08T02:30' ? '2026-03-08T03:30' : typed;
      assert.match(
        edit.text,
        new RegExp(`name="scheduledAt" type="datetime-local" value="${shown}"`),
        `${why}: the form shows the date in the delivery's zone`,
      );
      const page = await admin.get(`/deliveries/${d.id}`);
      assert.match(page.text, /09:00 in each recipient&#39;s time zone|09:00 in each recipient's time zone/);
    }
  });

  it('refuses a zone that is not an IANA name and a time of day that does not exist, creating nothing', async () => {
    const before = await h.db.models.Delivery.count();
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ internalName: 'bad1', timeZone: 'Mars/Base' }, /Not a time zone: give an IANA name/],
      [{ internalName: 'bad2', timeZone: '+01:00' }, /Not a time zone: give an IANA name/],
      [{ internalName: 'bad3', localSendTime: '25:00' }, /A time of day as HH:MM/],
      [{ internalName: 'bad4', localSendTime: '9h' }, /A time of day as HH:MM/],
      [{ internalName: 'bad5', scheduledAt: '2026-02-30T09:00' }, /Use a date and time like 2026-12-31 09:00 \(in the delivery&#39;s time zone/],
    ];
    for (const [fields, message] of cases) {
      const reply = await admin.post('/deliveries', deliveryForm(fields));
      assert.equal(reply.status, 400, JSON.stringify(fields));
      assert.match(reply.text, message, JSON.stringify(fields));
    }
    assert.equal(await h.db.models.Delivery.count(), before);
  });

  it('gives each message, when the delivery starts, the next 09:00 on its recipient’s clock', async () => {
    const created = await admin.post('/deliveries', deliveryForm({ internalName: 'morning', timeZone: 'America/New_York', localSendTime: '09:00' }));
    const id = idFrom(created.location);
    assert.match((await admin.post(`/deliveries/${id}/analyse`)).location!, /notice=analysed/);
    h.clock.now = new Date('2026-03-07T12:00:00Z'); // 07:00 in New York, 13:00 in Paris, 21:00 in Tokyo
    const started = await admin.post(`/deliveries/${id}/start`);
    assert.equal(started.status, 303, started.text);
    const logs = await h.db.models.BroadLog.findAll({ where: { deliveryId: id } });
    assert.deepEqual(Object.fromEntries(logs.map((b) => [b.address, b.nextAttemptAt?.toISOString()])), {
      'ann@example.com': '2026-03-08T08:00:00.000Z', // Paris: today's 09:00 is past, tomorrow 09:00 CET
      'bob@example.com': '2026-03-08T00:00:00.000Z', // Japan by country: tomorrow 09:00 JST
      'cy@example.com': '2026-03-07T14:00:00.000Z', // the delivery's zone: today 09:00 EST
    });
  });
});
