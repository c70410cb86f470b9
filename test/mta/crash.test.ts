import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../../server/db/connect.js';
import { createInstance, openTestDb, type TestInstance } from '../helpers/instance.js';
import { startModule } from '../helpers/module-process.js';
import { deliveryState, startedDelivery, until } from '../helpers/mta.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.js';

/** `herald mta` as a real process: killed with SIGKILL in the middle of a delivery, then restarted. */
describe('MTA crash safety', function () {
  this.timeout(120_000);
  let instance: TestInstance;
  let db: Database;
  let server: TestSmtpServer;
  const MAX_IN_FLIGHT = 40;
  const COUNT = 600;

  before(async () => {
    server = await startSmtpServer();
    instance = createInstance(
      `[mta]\ntransport = "smtp"\ntls = "disabled"\nidlePollMs = 100\ncommitIntervalMs = 50\nmaxInFlight = ${MAX_IN_FLIGHT}\nclaimBatch = ${MAX_IN_FLIGHT}\n[[mta.routes]]\ndomain = "*"\nhosts = ["127.0.0.1:${server.port}"]`,
    );
    db = await openTestDb(instance);
  });
  after(async () => {
    await db.close();
    await server.close();
    instance.cleanup();
  });

  it('loses no message to a kill -9 and sends again at most what was in flight', async () => {
    const id = await startedDelivery(
      db,
      instance,
      Array.from({ length: COUNT }, (_, i) => `c${i}@crash.test`),
    );
    const first = await startModule('mta', instance.env);
    await until(() => server.received.length >= 150, 60_000, '150 messages received');
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    const receivedAtKill = server.received.length;
    const sentAtKill = await db.models.BroadLog.count({ where: { deliveryId: id, status: 'sent' } });
    assert.ok(receivedAtKill - sentAtKill <= MAX_IN_FLIGHT, `uncommitted at the kill (${receivedAtKill - sentAtKill}) ≤ in flight (${MAX_IN_FLIGHT})`);
    const countedAtKill = ((await db.models.SmtpStat.sum('sent', { where: { domain: 'crash.test' } })) as number | null) ?? 0;
    assert.equal(countedAtKill, sentAtKill, 'the sending statistics survive the kill: they are committed with the outcomes they count');

    const second = await startModule('mta', instance.env);
    await until(async () => (await deliveryState(db, id)) === 'finished', 60_000, 'the delivery to finish after the restart');
    await second.kill('SIGTERM');
    assert.equal(await db.models.BroadLog.count({ where: { deliveryId: id, status: 'sent' } }), COUNT, 'every message ends sent');
    const perAddress = new Map<string, number>();
    for (const m of server.received) for (const to of m.to) perAddress.set(to, (perAddress.get(to) ?? 0) + 1);
    assert.equal(perAddress.size, COUNT, 'every recipient got the message');
    const duplicates = server.received.length - COUNT;
    assert.ok(duplicates <= MAX_IN_FLIGHT, `duplicates (${duplicates}) ≤ messages in flight at the kill (${MAX_IN_FLIGHT})`);
    assert.ok(duplicates === receivedAtKill - sentAtKill, 'exactly the messages acknowledged but not yet recorded were sent twice');
  });
});

describe('MTA default transport', function () {
  this.timeout(60_000);
  it('captures messages as .eml files by default, so a fresh install sends nothing', async () => {
    const local = createInstance();
    const localDb = await openTestDb(local);
    try {
      const id = await startedDelivery(localDb, local, ['x1@example.net', 'x2@example.net']);
      const mta = await startModule('mta', local.env);
      await until(async () => (await deliveryState(localDb, id)) === 'finished', 30_000, 'the capture delivery to finish');
      await mta.kill();
      const files = readdirSync(join(local.paths.dataDir, 'spool', 'capture', String(id)));
      assert.equal(files.filter((f) => f.endsWith('.eml')).length, 2);
    } finally {
      await localDb.close();
      local.cleanup();
    }
  });
});
