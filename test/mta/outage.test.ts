import assert from 'node:assert/strict';
import { Op } from 'sequelize';
import type { Database } from '../../server/db/connect.js';
import { activeBlocks, blockKey, unblockDomain } from '../../server/db/repos/mta-throttle.js';
import { startMtaService, type MtaService } from '../../server/mta/mta-service.js';
import { createLogger, type Logger } from '../../server/shared/logger.js';
import { herald } from '../helpers/cli.js';
import { createInstance, openTestDb, type TestInstance } from '../helpers/instance.js';
import { deliveryState, startedDelivery, until } from '../helpers/mta.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.js';
import { readLog } from '../helpers/watchdog.js';

/**
 * A real remote MX (smtp-server on 127.0.0.1) that goes down in the middle of a delivery and comes
 * back, and domain blocks lifted while the MTA runs: a short outage must not block a domain, and an
 * unblock must be honoured within seconds.
 */
describe('MTA through an MX outage and domain blocks', function () {
  this.timeout(120_000);
  let instance: TestInstance;
  let db: Database;
  let log: Logger;
  let mx: TestSmtpServer;
  let refusing: TestSmtpServer;
  /** A real MX that, while `closing` is set, answers every RCPT with a 421 and closes the session. */
  let flaky: TestSmtpServer;
  let closing = false;
  let mta: MtaService | undefined;

  const BACKOFF_SEC = [1, 2, 4];
  beforeEach(async () => {
    mx = await startSmtpServer({ dataDelayMs: 15 });
    refusing = await startSmtpServer({
      // refuse.test: every message; slow.test: two messages in five (s0, s1, s5, s6…), every time
      rcpt: (address) =>
        address.endsWith('@slow.test') && Number(/\d+/.exec(address)![0]) % 5 >= 2
          ? undefined
          : { code: 451, message: '4.7.1 Service unavailable, try again later' },
    });
    closing = false;
    flaky = await startSmtpServer({
      dataDelayMs: 15,
      rcpt: () => (closing ? { code: 421, message: '4.7.0 Try again later, closing connection' } : undefined),
    });
    // Thresholds low enough that the outage's failed attempts would block the domain if they counted.
    instance = createInstance(
      [
        '[mta]',
        'transport = "smtp"',
        'tls = "disabled"',
        'idlePollMs = 100',
        'commitIntervalMs = 20',
        'maxInFlight = 40',
        'claimBatch = 40',
        'connectTimeoutMs = 1000',
        'quickRetryDelaysSec = [1, 2, 4, 8]',
        'errorBlockMinMessages = 20',
        'errorBlockRate = 0.5',
        'errorSlowRate = 0.3',
        'errorBlockHours = 3',
        'errorReviewSec = 1',
        `domainBackoffSec = [${BACKOFF_SEC.join(', ')}]`,
        '[[mta.routes]]',
        'domain = "refuse.test"',
        `hosts = ["127.0.0.1:${refusing.port}"]`,
        '[[mta.routes]]',
        'domain = "slow.test"',
        `hosts = ["127.0.0.1:${refusing.port}"]`,
        '[[mta.routes]]',
        'domain = "flaky.test"',
        `hosts = ["127.0.0.1:${flaky.port}"]`,
        '[[mta.routes]]',
        'domain = "*.test"',
        `hosts = ["127.0.0.1:${mx.port}"]`,
        '[[mta.domainRules]]',
        'match = "*"',
        'shared = false',
        'messagesPerHour = 0',
        'maxConnections = 4',
        'maxMessagesPerConnection = 1000',
      ].join('\n'),
    );
    db = await openTestDb(instance);
    log = createLogger({ module: 'mta', dir: instance.paths.logDir, level: 'info', console: false, maxSizeMb: 10, maxFiles: 1 });
  });
  afterEach(async () => {
    await mta?.stop();
    mta = undefined;
    await log?.close();
    await db?.close();
    await mx.close();
    await refusing.close();
    await flaky.close();
    instance?.cleanup();
  });

  const events = (event: string) => readLog(instance, 'mta').filter((e) => e.event === event);

  it('delivers every message after the MX stops and restarts mid-delivery, within the back-off, without blocking the domain', async () => {
    const COUNT = 400;
    const id = await startedDelivery(
      db,
      instance,
      Array.from({ length: COUNT }, (_, i) => `o${i}@outage.test`),
    );
    mta = await startMtaService(db, instance.config, instance.paths, log);
    await until(() => mx.received.length >= 80, 30_000, 'the first 80 messages');
    await mx.stop();
    const downAt = Date.now();
    await until(() => events('MTA_DOMAIN_BACKOFF').length > 0, 10_000, 'the domain to back off');
    // As in the reproduction (a real Postfix stopped for 33 s): many reviews of the error rate while the MX is down.
    await new Promise((r) => setTimeout(r, 33_000));
    const pendingWhileDown = await db.models.BroadLog.count({ where: { deliveryId: id, status: 'pending' } });
    await mx.restart();
    const upAt = Date.now();

    await until(async () => (await deliveryState(db, id)) === 'finished', 60_000, 'the delivery to finish');
    const finishedAt = Date.now();
    const logs = await db.models.BroadLog.findAll({ where: { deliveryId: id } });
    assert.equal(logs.filter((b) => b.status === 'sent').length, COUNT, 'every message is sent');
    assert.equal(new Set(mx.received.flatMap((m) => m.to)).size, COUNT, 'every recipient got the message');
    assert.ok(pendingWhileDown > 100, `messages waited for the MX (${pendingWhileDown})`);
    const longestWaitMs = BACKOFF_SEC.reduce((a, b) => a + b, 0) * 1000;
    assert.ok(
      finishedAt - upAt < longestWaitMs + 15_000,
      `the delivery ended ${finishedAt - upAt} ms after the MX came back, within the back-off schedule (the MX was down ${upAt - downAt} ms)`,
    );
    assert.deepEqual(events('MTA_DOMAIN_BLOCKED'), [], 'a short outage never blocks the domain');
    assert.equal((await activeBlocks(db, new Date())).size, 0, 'no block in the database');
    assert.ok(events('MTA_DOMAIN_REACHABLE').length > 0, 'the probe found the MX back');
    assert.ok(
      logs.every((b) => b.attempts <= 2),
      'connection failures are not attempts: no message went through the retry schedule for them',
    );
  });

  it('delivers every message through an episode of 421 replies mid-delivery, backing the domain off without blocking it', async () => {
    const COUNT = 200;
    const id = await startedDelivery(
      db,
      instance,
      Array.from({ length: COUNT }, (_, i) => `f${i}@flaky.test`),
    );
    mta = await startMtaService(db, instance.config, instance.paths, log);
    await until(() => flaky.received.length >= 40, 30_000, 'the first 40 messages');
    closing = true;
    await until(() => events('MTA_DOMAIN_BACKOFF').length > 0, 10_000, 'the domain to back off');
    // As in the reproduction (a sink answering 421 for 30 s), long enough for many error-rate reviews.
    await new Promise((r) => setTimeout(r, 20_000));
    closing = false;
    const upAt = Date.now();
    await until(async () => (await deliveryState(db, id)) === 'finished', 60_000, 'the delivery to finish');
    const logs = await db.models.BroadLog.findAll({ where: { deliveryId: id } });
    assert.equal(logs.filter((b) => b.status === 'sent').length, COUNT, 'every message is sent');
    assert.equal(new Set(flaky.received.flatMap((m) => m.to)).size, COUNT, 'every recipient got the message');
    assert.ok(Date.now() - upAt < BACKOFF_SEC.reduce((a, b) => a + b, 0) * 1000 + 15_000, 'within the back-off schedule');
    assert.deepEqual(events('MTA_DOMAIN_BLOCKED'), [], 'a 421 episode never blocks the domain');
    assert.ok(
      logs.every((b) => b.attempts <= 2),
      'a 421 is the domain closing its door, not an attempt of the message',
    );
  });

  it('blocks a domain that keeps refusing most messages, names it in the log, and lists and lifts the block from the command line', async () => {
    const id = await startedDelivery(
      db,
      instance,
      Array.from({ length: 40 }, (_, i) => `r${i}@refuse.test`),
    );
    mta = await startMtaService(db, instance.config, instance.paths, log);
    await until(() => events('MTA_DOMAIN_BLOCKED').length > 0, 30_000, 'the refusing domain to be blocked');
    const blocked = events('MTA_DOMAIN_BLOCKED')[0]!;
    assert.equal(blocked.domain, 'refuse.test', 'the log line names the domain');
    assert.equal(refusing.received.length, 0);

    const listed = await herald(['mta', 'blocks', '--json'], instance.env);
    assert.equal(listed.code, 0, listed.stderr);
    const { blocks } = JSON.parse(listed.stdout) as { blocks: Array<Record<string, string>> };
    assert.deepEqual(
      blocks.map((b) => b.domain),
      ['refuse.test'],
    );
    assert.match(blocks[0]!.reason!, /^100% of \d+ messages refused in the last hour$/);
    assert.ok(Date.parse(blocks[0]!.blockedUntil!) > Date.now() + 2 * 3_600_000, 'blocked for errorBlockHours');
    assert.match((await herald(['mta', 'blocks'], instance.env)).stdout, /^refuse\.test +\d{4}-/m);

    const lifted = await herald(['mta', 'unblock', 'refuse.test'], instance.env);
    assert.equal(lifted.code, 0, lifted.stderr);
    assert.match(lifted.stdout, /^Unblocked refuse\.test \(was: 100% of \d+ messages refused in the last hour\); \d+ pending message\(s\) due again/);
    assert.equal((await herald(['mta', 'blocks'], instance.env)).stdout, 'No domain is blocked\n');
    const again = await herald(['mta', 'unblock', 'refuse.test'], instance.env);
    assert.deepEqual([again.code, again.stderr], [65, 'herald: refuse.test is not blocked (see: herald mta blocks)\n']);
    const audit = await db.models.AuditEntry.findAll({ where: { action: 'domain_unblocked' } });
    assert.deepEqual(
      audit.map((a) => [a.targetType, a.targetId]),
      [['domain', 'refuse.test']],
    );
    await until(() => events('MTA_DOMAIN_UNBLOCKED').some((e) => e.domain === 'refuse.test'), 10_000, 'the running MTA to see the unblock');
    await until(async () => (await db.models.BroadLog.count({ where: { deliveryId: id, attempts: { [Op.gte]: 2 } } })) > 0, 15_000, 'messages tried again');
  });

  it('slows a domain that refuses some messages, and the log line names it', async () => {
    await startedDelivery(
      db,
      instance,
      Array.from({ length: 50 }, (_, i) => `s${i}@slow.test`),
    );
    mta = await startMtaService(db, instance.config, instance.paths, log);
    await until(() => events('MTA_DOMAIN_SLOWED').length > 0, 30_000, 'the domain to be slowed');
    const [slowed] = events('MTA_DOMAIN_SLOWED');
    assert.equal(slowed!.domain, 'slow.test');
    assert.ok(Number(slowed!.errorRate) >= 0.3 && Number(slowed!.errorRate) < 0.5, `40% refused: ${String(slowed!.errorRate)}`);
    assert.deepEqual(events('MTA_DOMAIN_BLOCKED'), []);
  });

  it('holds a blocked domain, and sends its messages within seconds of an unblock in the database', async () => {
    const id = await startedDelivery(
      db,
      instance,
      Array.from({ length: 30 }, (_, i) => `b${i}@blocked.test`),
    );
    const now = new Date();
    await blockKey(db, 'domain:blocked.test', now.getTime() + 3 * 3_600_000, '95% of 400 messages refused in the last hour', now);
    mta = await startMtaService(db, instance.config, instance.paths, log);
    await until(
      async () =>
        (await db.models.BroadLog.count({ where: { deliveryId: id, status: 'pending', nextAttemptAt: { [Op.gt]: new Date(Date.now() + 3_000_000) } } })) === 30,
      15_000,
      'every message pushed back to the end of the block',
    );
    assert.equal(mx.received.length, 0, 'nothing goes to a blocked domain');
    const lifted = await unblockDomain(db, 'blocked.test', new Date());
    assert.equal(lifted.block?.domain, 'blocked.test');
    assert.equal(lifted.rescheduled, 30, 'the messages pushed back by the block are due again');
    const liftedAt = Date.now();
    await until(async () => (await deliveryState(db, id)) === 'finished', 15_000, 'the delivery to finish after the unblock');
    assert.ok(Date.now() - liftedAt < 10_000, 'the running MTA honoured the unblock within seconds');
    assert.equal(mx.received.length, 30);
    assert.ok(events('MTA_DOMAIN_UNBLOCKED').some((e) => e.domain === 'blocked.test'));
    assert.equal((await db.models.MtaThrottle.findByPk('domain:blocked.test'))?.blockedUntilMs, 0);
  });
});
