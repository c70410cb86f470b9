import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Database } from '../../server/db/connect.js';
import { writeRecipient } from '../../server/db/repos/recipient-writes.js';
import { createNewDelivery, startDelivery } from '../../server/delivery/actions.js';
import { analyseDelivery, type DeliveryDeps } from '../../server/delivery/analyse.js';
import { startMtaService, type MtaService } from '../../server/mta/mta-service.js';
import { silentLogger } from '../../server/shared/logger.js';
import { createInstance, openTestDb, type TestInstance } from '../helpers/instance.js';
import { statusesOf, until } from '../helpers/mta.js';

/**
 * A delivery sent "at 09:00 in each recipient's time zone", end to end: recipients written with
 * their zone or country, the real analysis and start, the real MTA with the capture transport (each
 * message an .eml file), on a clock the test moves. Each message must leave when its recipient's
 * clock reads 09:00, not a minute before, and the MTA must not claim anything meanwhile.
 */
describe('a delivery sent at 09:00 in each recipient’s time zone', function () {
  this.timeout(120_000);
  let instance: TestInstance;
  let db: Database;
  let mta: MtaService | undefined;
  let now = new Date('2026-12-07T06:00:00Z'); // a Monday: 07:00 in Paris, 01:00 in New York, 17:00 in Sydney
  const clock = () => now;

  before(async () => {
    instance = createInstance('[mta]\ntransport = "capture"\nidlePollMs = 100\ncommitIntervalMs = 20\n');
    db = await openTestDb(instance);
  });
  after(async () => {
    await mta?.stop();
    await db.close();
    instance.cleanup();
  });

  const captured = (deliveryId: number): string[] => {
    const dir = join(resolve(instance.paths.dataDir, instance.config.mta.captureDir), String(deliveryId));
    return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.eml')) : [];
  };
  const sentAddresses = async (deliveryId: number) =>
    [...(await statusesOf(db, deliveryId)).values()]
      .filter((b) => b.status === 'sent')
      .map((b) => b.address)
      .sort();

  it('releases each message at 09:00 on its recipient’s clock: own zone, else the country’s, else the delivery’s', async () => {
    const recipients: Array<{ email: string; timeZone?: string; country?: string }> = [
      { email: 'ann@example.com', timeZone: 'America/New_York' }, // 09:00 EST = 14:00Z today
      { email: 'bob@example.com', country: 'FR' }, // Europe/Paris by country: 08:00Z today
      { email: 'cy@example.com', timeZone: 'Australia/Sydney' }, // today's 09:00 AEDT (22:00Z yesterday) is past: tomorrow's, 22:00Z today
      { email: 'dee@example.com', country: 'US' }, // several zones: the delivery's (Europe/Paris), 08:00Z today
      { email: 'eve@example.com', timeZone: 'Asia/Kolkata' }, // 09:00 IST (03:30Z) is past: tomorrow 03:30Z
      { email: 'fay@example.com' }, // nothing known: the delivery's zone, 08:00Z today
    ];
    for (const r of recipients) await writeRecipient(db, 'create', r, { at: now, operatorId: null, operatorLogin: null, action: 'recipient_created' });
    const deps: DeliveryDeps = { db, config: instance.config, log: silentLogger(), dkim: [] };
    const d = await createNewDelivery(deps, {
      internalName: 'morning-news',
      label: 'Morning news',
      kind: 'marketing',
      subject: 'Good morning',
      fromName: 'Herald',
      fromAddress: 'news@example.org',
      replyTo: null,
      html: '<p>Good morning.</p><p><a href="<%= links.unsubscribe %>">Unsubscribe</a></p>',
      text: 'Good morning.\nUnsubscribe: <%= links.unsubscribe %>\n',
      headers: {},
      target: { kind: 'all' },
      exclusions: { duplicates: true, denylisted: true, quarantined: true, limit: null },
      serviceId: null,
      trackingEnabled: false,
      openTracking: false,
      scheduledAt: null,
      validityEnd: null,
      timeZone: 'Europe/Paris',
      localSendTime: '09:00',
    });
    assert.equal((await analyseDelivery(deps, d.id, { now: clock })).state, 'ready');
    await startDelivery(deps, d.id, now);
    const planned = new Map([...(await statusesOf(db, d.id)).values()].map((b) => [b.address, b.nextAttemptAt?.toISOString()]));
    assert.deepEqual(Object.fromEntries(planned), {
      'ann@example.com': '2026-12-07T14:00:00.000Z',
      'bob@example.com': '2026-12-07T08:00:00.000Z',
      'cy@example.com': '2026-12-07T22:00:00.000Z',
      'dee@example.com': '2026-12-07T08:00:00.000Z',
      'eve@example.com': '2026-12-08T03:30:00.000Z',
      'fay@example.com': '2026-12-07T08:00:00.000Z',
    });

    mta = await startMtaService(db, instance.config, instance.paths, silentLogger(), clock);
    /** Moves the clock, lets the MTA poll a few times, and returns what has been sent by then. */
    const at = async (iso: string, expectSent: string[]) => {
      now = new Date(iso);
      const want = expectSent.slice().sort();
      await until(async () => (await sentAddresses(d.id)).length >= want.length, 20_000, `${want.length} messages sent at ${iso}`);
      await new Promise((r) => setTimeout(r, 600)); // several idle polls (100 ms): nothing else may leave
      assert.deepEqual(await sentAddresses(d.id), want, `sent by ${iso}`);
      assert.equal(captured(d.id).length, want.length, `captured by ${iso}`);
    };
    await at('2026-12-07T06:00:00Z', []);
    assert.equal(mta.status().claimed, 0, 'nothing is claimed before it is due');
    await at('2026-12-07T07:59:59Z', []);
    await at('2026-12-07T08:00:00Z', ['bob@example.com', 'dee@example.com', 'fay@example.com']);
    await at('2026-12-07T13:59:00Z', ['bob@example.com', 'dee@example.com', 'fay@example.com']);
    await at('2026-12-07T14:00:00Z', ['ann@example.com', 'bob@example.com', 'dee@example.com', 'fay@example.com']);
    await at('2026-12-07T22:00:00Z', ['ann@example.com', 'bob@example.com', 'cy@example.com', 'dee@example.com', 'fay@example.com']);
    await at('2026-12-08T03:29:00Z', ['ann@example.com', 'bob@example.com', 'cy@example.com', 'dee@example.com', 'fay@example.com']);
    await at(
      '2026-12-08T03:30:00Z',
      recipients.map((r) => r.email),
    );
    assert.equal(mta.status().claimed, 6, 'each message claimed once, when due');
    const sentAt = new Map([...(await statusesOf(db, d.id)).values()].map((b) => [b.address, b.sentAt?.toISOString()]));
    assert.equal(sentAt.get('eve@example.com'), '2026-12-08T03:30:00.000Z', 'sent on the MTA’s clock at the recipient’s 09:00');
    assert.equal(sentAt.get('cy@example.com'), '2026-12-07T22:00:00.000Z');
  });
});
