import assert from 'node:assert/strict';
import type { Database } from '../../server/db/connect.js';
import { startMtaService, type MtaService } from '../../server/mta/mta-service.js';
import { silentLogger } from '../../server/shared/logger.js';
import { createInstance, openTestDb, type TestInstance } from '../helpers/instance.js';
import { startedDelivery, statusesOf, until } from '../helpers/mta.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.js';

/**
 * A domain's messages per hour with the real MTA and a real SMTP server, on a clock that only
 * moves when the test moves it: 36,000 an hour is one message every 100 ms, with one second of burst.
 */
describe('MTA pacing a domain at its messages per hour', function () {
  this.timeout(60_000);
  let server: TestSmtpServer;
  let instance: TestInstance;
  let db: Database;
  let mta: MtaService | undefined;
  let now: Date;

  before(async () => {
    server = await startSmtpServer();
    const rules = [
      ['paced.test', 36_000],
      ['*', 0],
    ].map(
      ([match, perHour]) =>
        `[[mta.domainRules]]\nmatch = "${match}"\nshared = false\nmaxConnections = 2\nmaxMessagesPerConnection = 100\nmessagesPerHour = ${perHour}\n`,
    );
    instance = createInstance(
      `[mta]\ntransport = "smtp"\ntls = "disabled"\nidlePollMs = 100\ncommitIntervalMs = 20\nmaxInFlight = 50\n[[mta.routes]]\ndomain = "paced.test"\nhosts = ["127.0.0.1:${server.port}"]\n${rules.join('')}`,
    );
    db = await openTestDb(instance);
    now = new Date();
  });
  after(async () => {
    await mta?.stop();
    await db.close();
    await server.close();
    instance.cleanup();
  });

  it("sends the burst, spreads the refused messages' retries one interval apart, then keeps to the rate", async () => {
    const id = await startedDelivery(
      db,
      instance,
      Array.from({ length: 35 }, (_, i) => `p${i}@paced.test`),
    );
    const t0 = now.getTime();
    const settled = async () =>
      [...(await statusesOf(db, id)).values()].every((b) => b.status === 'sent' || (b.nextAttemptAt !== null && b.nextAttemptAt.getTime() > now.getTime()));
    mta = await startMtaService(db, instance.config, instance.paths, silentLogger(), () => now);
    await until(settled, 15_000, 'every message sent or put back');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(server.received.length, 10, 'the burst, and nothing more while the clock stands still');
    const retries = [...(await statusesOf(db, id)).values()].filter((b) => b.status === 'pending').map((b) => b.nextAttemptAt!.getTime() - t0);
    retries.sort((a, b) => a - b);
    assert.deepEqual(
      retries,
      Array.from({ length: 25 }, (_, i) => retries[0]! + i * 100),
      'one pacing interval apart, not all at once',
    );
    for (let second = 1; server.received.length < 35 && second <= 10; second++) {
      now = new Date(t0 + second * 1000);
      await until(settled, 15_000, `the messages due ${second} s later`);
      assert.ok(server.received.length <= 10 + second * 10, `at most the burst plus 10 a second (${server.received.length} after ${second} s)`);
    }
    assert.equal(server.received.length, 35, 'every message once');
  });
});
