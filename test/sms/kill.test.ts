import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import type { Database } from '../../server/db/connect.js';
import { createNewDelivery, startDelivery } from '../../server/delivery/actions.js';
import { analyseDelivery, type DeliveryDeps } from '../../server/delivery/analyse.js';
import { APP_ROOT } from '../../server/shared/app-root.js';
import { silentLogger } from '../../server/shared/logger.js';
import { createInstance, openTestDb, type TestInstance } from '../helpers/instance.js';
import { until } from '../helpers/mta.js';
import { startSmsc, type Smsc } from '../helpers/smsc.js';

/** `herald sms` killed with SIGKILL in the middle of a delivery, then started again. */

const MESSAGES = 400;
const MAX_IN_FLIGHT = 40;

describe('herald sms killed with SIGKILL mid-send', function () {
  this.timeout(120_000);
  let instance: TestInstance;
  let db: Database;
  let smsc: Smsc;
  const children: ChildProcess[] = [];

  before(async () => {
    smsc = await startSmsc();
    instance = createInstance(
      `[sms]\nidlePollMs = 50\ncommitIntervalMs = 50\nclaimBatch = 20\nmaxInFlight = ${MAX_IN_FLIGHT}\n` +
        `[[sms.connectors]]\nname = "op"\nhost = "127.0.0.1"\nport = ${smsc.port}\nsystemId = "herald"\npassword = "secret"\nsourceAddress = "36111"\nwindowSize = 10\nmessagesPerSecond = 300\n`,
    );
    db = await openTestDb(instance);
    const now = new Date();
    await db.models.Recipient.bulkCreate(
      Array.from({ length: MESSAGES }, (_, i) => ({
        email: `r${i}@example.com`,
        mobile: `+336${String(10_000_000 + i)}`,
        firstName: `R${i}`,
        createdAt: now,
        updatedAt: now,
      })),
    );
  });
  after(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await smsc.close();
    await db.close();
    instance.cleanup();
  });

  const startSms = () => {
    const child = spawn(process.execPath, ['--import=tsx', join(APP_ROOT, 'server/cli/main.ts'), 'sms'], { env: instance.env, stdio: 'ignore' });
    children.push(child);
    return child;
  };

  it('loses no message and sends again at most those in flight', async () => {
    const deps: DeliveryDeps = { db, config: instance.config, log: silentLogger(), dkim: [] };
    const d = await createNewDelivery(deps, {
      internalName: 'kill',
      label: 'Kill',
      kind: 'marketing',
      channel: 'sms',
      subject: '',
      fromName: null,
      fromAddress: '',
      replyTo: null,
      html: null,
      text: 'Hi <%= recipient.firstName %>, STOP 36111',
      headers: {},
      target: { kind: 'all' },
      exclusions: { duplicates: true, denylisted: true, quarantined: true, limit: null },
      serviceId: null,
      trackingEnabled: false,
      openTracking: false,
      scheduledAt: null,
      validityEnd: null,
    });
    await analyseDelivery(deps, d.id);
    await startDelivery(deps, d.id, new Date());
    const first = startSms();
    await until(() => smsc.submits.length >= MESSAGES / 4, 60_000, 'a quarter of the messages to reach the SMSC');
    first.kill('SIGKILL');
    await once(first, 'exit');
    const beforeRestart = smsc.submits.length;
    assert.ok(beforeRestart < MESSAGES, `killed before the end (${beforeRestart} submitted)`);
    const second = startSms();
    await until(async () => (await db.models.Delivery.findByPk(d.id))!.state === 'finished', 60_000, 'the delivery to finish after the restart');
    await until(
      async () => (await db.models.BroadLog.count({ where: { deliveryId: d.id, receiptStatus: 'delivered' } })) === MESSAGES,
      20_000,
      'every receipt',
    );
    second.kill('SIGTERM');
    await once(second, 'exit');

    const perNumber = new Map<string, number>();
    for (const s of smsc.submits) perNumber.set(s.destination, (perNumber.get(s.destination) ?? 0) + 1);
    assert.equal(perNumber.size, MESSAGES, 'every number got its message: none lost');
    const duplicates = smsc.submits.length - MESSAGES;
    assert.ok(duplicates <= MAX_IN_FLIGHT, `${duplicates} sent twice, at most the ${MAX_IN_FLIGHT} in flight`);
    const row = (await db.models.Delivery.findByPk(d.id))!;
    assert.deepEqual([row.sent, row.failed, row.processed], [MESSAGES, 0, MESSAGES], 'each message counted once');
  });
});
