import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { Database } from '../../server/db/connect.js';
import { createNewDelivery, pauseDelivery, resumeDelivery, startDelivery } from '../../server/delivery/actions.js';
import { analyseDelivery, type DeliveryDeps } from '../../server/delivery/analyse.js';
import { importRecipientsCsv, type Reject } from '../../server/recipients/import-csv.js';
import { silentLogger } from '../../server/shared/logger.js';
import { createInstance, openTestDb, type TestInstance } from '../helpers/instance.js';
import { statusesOf } from '../helpers/mta.js';

/**
 * A delivery sent at 09:00 in each recipient's zone, to recipients imported from a CSV file with
 * time zone and country columns: the send times planned at the start (a real database, the real
 * analysis and start), and planned again when a delivery paused over some of them resumes.
 */
describe('a delivery at 09:00 local time to imported recipients, paused and resumed', function () {
  this.timeout(60_000);
  let instance: TestInstance;
  let db: Database;
  let deps: DeliveryDeps;
  const START = new Date('2026-12-07T06:00:00Z'); // a Monday: 07:00 in Paris, 01:00 in New York, 17:00 in Sydney

  before(async () => {
    instance = createInstance();
    db = await openTestDb(instance);
    deps = { db, config: instance.config, log: silentLogger(), dkim: [] };
    const rejects: Reject[] = [];
    const file = [
      'email,time_zone,postal_country',
      'ann@example.com,America/New_York,US', // 09:00 EST = 14:00Z
      'bob@example.com,,FR', // no zone: France's, 09:00 CET = 08:00Z
      'cy@example.com,Australia/Sydney,', // today's 09:00 AEDT is past: tomorrow's, 22:00Z today
      'dee@example.com,,US', // several zones: the delivery's (Europe/Paris), 08:00Z
      'eve@example.com,Asia/Kolkata,IN', // 09:00 IST (03:30Z) is past: tomorrow 03:30Z
      'gus@example.com,Europe/Moscow,', // 09:00 MSK = 06:00Z: due at the start
      'hal@example.com,,JP', // Japan's: tomorrow 09:00 JST = 00:00Z
      'ivy@example.com,Europe/Nowhere,FR', // rejected: not a zone
    ].join('\n');
    const summary = await importRecipientsCsv(db, Readable.from([Buffer.from(file)]), { batchSize: 3, onReject: (r) => rejects.push(r) });
    assert.deepEqual([summary.inserted, summary.rejected], [7, 1]);
    assert.match(rejects[0]!.reason, /time_zone must be an IANA time zone/);
  });
  after(async () => {
    await db.close();
    instance.cleanup();
  });

  const newDelivery = async (name: string) => {
    const d = await createNewDelivery(deps, {
      internalName: name,
      label: name,
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
    assert.equal((await analyseDelivery(deps, d.id, { now: () => START })).state, 'ready');
    await startDelivery(deps, d.id, START);
    return d.id;
  };
  const planned = async (id: number) =>
    Object.fromEntries([...(await statusesOf(db, id)).values()].map((b) => [b.address, b.nextAttemptAt?.toISOString()]).sort());

  const AT_START = {
    'ann@example.com': '2026-12-07T14:00:00.000Z',
    'bob@example.com': '2026-12-07T08:00:00.000Z',
    'cy@example.com': '2026-12-07T22:00:00.000Z',
    'dee@example.com': '2026-12-07T08:00:00.000Z',
    'eve@example.com': '2026-12-08T03:30:00.000Z',
    'gus@example.com': '2026-12-07T06:00:00.000Z',
    'hal@example.com': '2026-12-08T00:00:00.000Z',
  };

  it('gives each imported recipient the 09:00 of their own zone, else of their country, else of the delivery', async () => {
    assert.deepEqual(await planned(await newDelivery('imported')), AT_START);
  });

  it('on resume, waits for the next 09:00 of the messages whose time passed during the pause, and sends the others as planned', async () => {
    const id = await newDelivery('paused');
    // Moscow's message was due at the start: a backlog the pause interrupted, not a time missed
    await pauseDelivery(deps, id, new Date('2026-12-07T06:30:00Z'));
    // a message tried once and waiting for its retry keeps its retry time
    await db.write((transaction) =>
      db.models.BroadLog.update(
        { attempts: 1, nextAttemptAt: new Date('2026-12-07T09:30:00Z') },
        { where: { deliveryId: id, address: 'dee@example.com' }, transaction },
      ),
    );
    const resumed = await resumeDelivery(deps, id, new Date('2026-12-07T14:10:00Z'));
    assert.equal(resumed.state, 'start_pending');
    assert.deepEqual(await planned(id), {
      'ann@example.com': '2026-12-07T14:00:00.000Z', // 10 minutes late: within the grace, goes at once
      'bob@example.com': '2026-12-08T08:00:00.000Z', // missed by six hours: Tuesday 09:00 in Paris
      'cy@example.com': '2026-12-07T22:00:00.000Z', // still ahead
      'dee@example.com': '2026-12-07T09:30:00.000Z', // a retry, not a first send
      'eve@example.com': '2026-12-08T03:30:00.000Z', // still ahead
      'gus@example.com': '2026-12-07T06:00:00.000Z', // due before the pause
      'hal@example.com': '2026-12-08T00:00:00.000Z', // still ahead
    });
    // paused again over Sydney's and Japan's times, resumed after New York's next morning has begun
    await pauseDelivery(deps, id, new Date('2026-12-07T20:00:00Z'));
    await resumeDelivery(deps, id, new Date('2026-12-08T15:00:00Z'));
    const again = await planned(id);
    assert.deepEqual(
      [again['cy@example.com'], again['hal@example.com'], again['eve@example.com'], again['bob@example.com'], again['ann@example.com']],
      [
        '2026-12-08T22:00:00.000Z', // Sydney: Wednesday 09:00 AEDT
        '2026-12-09T00:00:00.000Z', // Japan: Wednesday 09:00 JST
        '2026-12-09T03:30:00.000Z', // Kolkata: Wednesday 09:00 IST
        '2026-12-09T08:00:00.000Z', // Paris: Tuesday's 08:00Z passed during this pause too
        '2026-12-07T14:00:00.000Z', // due before this pause: left alone
      ],
    );
  });
});
