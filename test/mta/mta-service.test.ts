import assert from 'node:assert/strict';
import type { Database } from '../../server/db/connect.js';
import { pauseDelivery, resumeDelivery } from '../../server/delivery/actions.js';
import { startMtaService, type MtaService } from '../../server/mta/mta-service.js';
import { silentLogger } from '../../server/shared/logger.js';
import { createInstance, openTestDb, type TestInstance } from '../helpers/instance.js';
import { deliveryState, startedDelivery, statusesOf, until } from '../helpers/mta.js';
import { recordingLogger, type LoggedEvent } from '../helpers/recording-logger.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.js';

/** The MTA against real SMTP servers on 127.0.0.1 playing the MX of each test domain. */
describe('MTA sending a delivery', function () {
  this.timeout(60_000);
  const servers: Record<string, TestSmtpServer> = {};
  let instance: TestInstance;
  let db: Database;
  let mta: MtaService | undefined;
  let log: ReturnType<typeof recordingLogger>;
  let now: Date;
  const clock = () => now;

  before(async () => {
    servers.ok = await startSmtpServer();
    servers.unknown = await startSmtpServer({
      rcpt: () => ({ code: 550, message: '5.1.1 <x>: Recipient address rejected: User unknown in local recipient table' }),
    });
    servers.full = await startSmtpServer({ rcpt: (_a, n) => (n === 1 ? { code: 452, message: '4.2.2 Mailbox full, try again later' } : undefined) });
    servers.busy = await startSmtpServer({ greeting421: true });
    servers.slow = await startSmtpServer({ dataDelayMs: 4000 });
    servers.slowish = await startSmtpServer({ dataDelayMs: 100 });
  });
  after(async () => {
    for (const s of Object.values(servers)) await s.close();
  });

  beforeEach(async () => {
    const routes = Object.entries(servers)
      .map(([name, s]) => `[[mta.routes]]\ndomain = "${name}.test"\nhosts = ["127.0.0.1:${s.port}"]`)
      .join('\n');
    instance = createInstance(
      `[mta]\ntransport = "smtp"\ntls = "disabled"\nsocketTimeoutMs = 1500\nconnectTimeoutMs = 2000\nidlePollMs = 100\ncommitIntervalMs = 20\nmaxInFlight = 10\nquickRetryDelaysSec = [60]\nretryPeriodMinutes = 60\nretryCount = 1\n${routes}`,
    );
    db = await openTestDb(instance);
    log = recordingLogger();
    now = new Date();
  });
  afterEach(async () => {
    await mta?.stop();
    mta = undefined;
    await db.close();
    instance.cleanup();
  });

  const start = async () => (mta = await startMtaService(db, instance.config, instance.paths, log, clock));
  /** The state changes the MTA made to a delivery, in order. */
  const moves = (deliveryId: number) =>
    log.events
      .filter((e: LoggedEvent) => e.event === 'MTA_DELIVERY_STATE' && e.fields.deliveryId === deliveryId)
      .map((e) => `${String(e.fields.from)} → ${String(e.fields.to)}`);

  it('sends, fails, defers and retries each message by the remote reply, and quarantines unknown users', async () => {
    const id = await startedDelivery(db, instance, ['ann@ok.test', 'bob@unknown.test', 'cy@full.test', 'dee@busy.test', 'eve@slow.test']);
    await start();
    await until(
      async () => [...(await statusesOf(db, id)).values()].every((b) => b.status !== 'pending' || b.attempts > 0 || b.failureType !== null),
      20_000,
      'every message attempted once',
    );
    const first = await statusesOf(db, id);
    assert.equal(first.get('ann@ok.test')!.status, 'sent');
    assert.equal(servers.ok!.received.length, 1);
    assert.deepEqual(
      [first.get('bob@unknown.test')!.status, first.get('bob@unknown.test')!.failureType, first.get('bob@unknown.test')!.failureReason],
      ['failed', 'hard', 'user_unknown'],
    );
    for (const address of ['cy@full.test', 'dee@busy.test', 'eve@slow.test']) {
      const b = first.get(address)!;
      assert.equal(b.status, 'pending', `${address} waits for a retry`);
      assert.equal(b.failureType, 'soft', `${address} is a soft failure (421 and timeouts are never hard)`);
    }
    for (const address of ['cy@full.test', 'eve@slow.test']) {
      const b = first.get(address)!;
      assert.equal(b.attempts, 1);
      assert.equal(b.nextAttemptAt!.getTime(), now.getTime() + 60_000, `${address} retries after the first quick delay`);
    }
    const busy = first.get('dee@busy.test')!;
    assert.equal(busy.attempts, 0, 'a greeting refused (421) is a connection failure: the message itself was not tried');
    assert.equal(busy.nextAttemptAt!.getTime(), now.getTime() + 5_000, 'it waits for the domain back-off, then probes');
    assert.equal(await db.models.Quarantine.findOne({ where: { address: 'dee@busy.test' } }), null, 'the address is not blamed for its domain');
    assert.equal((await db.models.Quarantine.findOne({ where: { address: 'bob@unknown.test' } }))?.status, 'quarantine');
    assert.equal((await db.models.Quarantine.findOne({ where: { address: 'cy@full.test' } }))?.status, 'with_errors');
    assert.ok((await db.models.BounceText.count()) >= 2, 'the replies are normalized into bounce texts');
    await until(async () => (await deliveryState(db, id)) === 'recovery_pending', 5_000, 'the delivery to wait for its retries (recovery pending)');

    now = new Date(now.getTime() + 61_000);
    await until(async () => (await statusesOf(db, id)).get('cy@full.test')!.status === 'sent', 20_000, 'the mailbox-full retry');
    await until(async () => (await statusesOf(db, id)).get('eve@slow.test')!.attempts === 2, 20_000, 'the timed-out message retried');
    const second = await statusesOf(db, id);
    assert.equal(second.get('dee@busy.test')!.attempts, 0);
    assert.equal(second.get('dee@busy.test')!.status, 'pending', 'a 421 greeting keeps being probed');
    assert.equal(second.get('dee@busy.test')!.nextAttemptAt!.getTime(), now.getTime() + 10_000, 'each failed probe waits one step longer');
    assert.ok(
      second.get('eve@slow.test')!.nextAttemptAt!.getTime() >= now.getTime() + 54 * 60_000,
      'a message timed out in DATA goes on to the long retries, an hour apart',
    );
    await until(async () => (await deliveryState(db, id)) === 'recovery_pending', 5_000, 'the delivery to wait for its next retries');
    assert.deepEqual(
      moves(id),
      ['start_pending → in_progress', 'in_progress → recovery_pending', 'recovery_pending → recovery_in_progress', 'recovery_in_progress → recovery_pending'],
      'the lifecycle: sending, waiting for retries, sending the retries, waiting again',
    );
    const delivery = await db.models.Delivery.findByPk(id);
    assert.deepEqual([delivery!.processed, delivery!.sent, delivery!.failed], [3, 2, 1]);
    assert.equal(delivery!.newQuarantine, 1, 'the unknown user is counted as a new quarantine of this delivery');
    await mta!.stop();
    mta = undefined;
    const stats = await db.models.SmtpStat.findAll();
    assert.ok(
      stats.some((s) => s.domain === 'ok.test' && s.sent === 1),
      'SMTP counters per domain',
    );
  });

  it('keeps the final reply of a sent message and, when a retry succeeds, drops the earlier error and makes the address valid again', async () => {
    const id = await startedDelivery(db, instance, ['fay@ok.test', 'gil@full.test']);
    await start();
    await until(
      async () => {
        const logs = await statusesOf(db, id);
        return logs.get('gil@full.test')!.attempts === 1 && logs.get('fay@ok.test')!.status === 'sent';
      },
      20_000,
      'the first attempts',
    );
    assert.equal((await db.models.Quarantine.findOne({ where: { address: 'gil@full.test' } }))?.status, 'with_errors');
    assert.ok((await db.models.SmtpStat.sum('sent', { where: { domain: 'ok.test' } })) >= 1, 'the SMTP counters are written with the outcomes, not 30 s later');
    now = new Date(now.getTime() + 61_000);
    await until(async () => (await statusesOf(db, id)).get('gil@full.test')!.status === 'sent', 20_000, 'the retry to succeed');
    const logs = await statusesOf(db, id);
    for (const address of ['fay@ok.test', 'gil@full.test']) {
      const b = logs.get(address)!;
      assert.match(b.smtpResponse ?? '', /^250 /, `${address}: the remote server's final reply is kept`);
      assert.deepEqual([b.failureType, b.failureReason, b.failureText, b.bounceTextId], [null, null, null, null], `${address} shows no error`);
    }
    const q = await db.models.Quarantine.findOne({ where: { address: 'gil@full.test' } });
    assert.deepEqual([q?.status, q?.errorCount], ['valid', 0], 'a delivered message clears the "with errors" state of its address');
  });

  it('does not send to an address quarantined or a recipient who opted out after the analysis', async () => {
    const id = await startedDelivery(db, instance, ['q1@ok.test', 'q2@ok.test', 'q3@ok.test']);
    await db.write(async (transaction) => {
      await db.models.Quarantine.create({ address: 'q1@ok.test', domain: 'ok.test', status: 'quarantine' }, { transaction });
      await db.models.Recipient.update({ denylisted: true }, { where: { email: 'q2@ok.test' }, transaction });
    });
    const before = servers.ok!.received.length;
    await start();
    await until(async () => (await deliveryState(db, id)) === 'finished', 15_000, 'the delivery to finish');
    const logs = await statusesOf(db, id);
    assert.deepEqual([logs.get('q1@ok.test')!.status, logs.get('q1@ok.test')!.failureReason], ['ignored', 'quarantined']);
    assert.deepEqual([logs.get('q2@ok.test')!.status, logs.get('q2@ok.test')!.failureReason], ['ignored', 'denylisted']);
    assert.equal(logs.get('q3@ok.test')!.status, 'sent');
    assert.equal(servers.ok!.received.length - before, 1);
    assert.deepEqual(moves(id), ['start_pending → in_progress', 'in_progress → finished']);
  });

  it('applies new domain rules on reload, without a restart', async () => {
    const first = await startedDelivery(db, instance, ['r1@ok.test', 'r2@ok.test', 'r3@ok.test']);
    const service = await start();
    await until(async () => (await deliveryState(db, first)) === 'finished', 15_000, 'the first delivery to finish');
    assert.deepEqual(
      [...(await statusesOf(db, first)).values()].map((b) => b.status),
      ['sent', 'sent', 'sent'],
      'no limit before the reload',
    );
    const next = structuredClone(instance.config) as { mta: { domainRules: Array<Record<string, unknown>> } } & typeof instance.config;
    next.mta.domainRules.unshift({ ...next.mta.domainRules.at(-1), match: 'ok.test', messagesPerHour: 1 });
    const result = service.reload(next);
    assert.ok(result.applied.includes('mta.domainRules'));
    // The second delivery goes to every recipient, the first three included: six messages.
    const second = await startedDelivery(db, instance, ['r4@ok.test', 'r5@ok.test', 'r6@ok.test']);
    const paced = async () => {
      const logs = [...(await statusesOf(db, second)).values()];
      const later = logs.filter((b) => b.status === 'pending' && b.nextAttemptAt && b.nextAttemptAt.getTime() > now.getTime() + 1_800_000);
      return logs.length === 6 && logs.filter((b) => b.status === 'sent').length === 1 && later.length === 5;
    };
    await until(paced, 15_000, 'one message within the new rate, the others paced an hour apart');
  });

  it('pauses within seconds and finishes after a resume', async () => {
    const id = await startedDelivery(
      db,
      instance,
      Array.from({ length: 300 }, (_, i) => `p${i}@slowish.test`),
    );
    const deps = { db, config: instance.config, log: silentLogger(), dkim: [] };
    const server = servers.slowish!;
    await start();
    await until(() => server.received.length >= 10, 15_000, 'sending to begin');
    await pauseDelivery(deps, id, new Date());
    await until(async () => (await deliveryState(db, id)) === 'paused', 5_000, 'the pause to be taken');
    const atPause = server.received.length;
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(server.received.length <= atPause + 10, 'nothing beyond what was in flight goes out after the pause');
    assert.ok(atPause < 300, 'the pause came before the end');
    await resumeDelivery(deps, id, new Date());
    await until(async () => (await deliveryState(db, id)) === 'finished', 30_000, 'the delivery to finish after the resume');
    assert.equal(server.received.length, 300, 'every message once');
    assert.deepEqual(moves(id), ['start_pending → in_progress', 'pause_requested → paused', 'start_pending → in_progress', 'in_progress → finished']);
  });
});
