import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import type { Database } from '../../server/db/connect.js';
import { saveSubscription } from '../../server/db/repos/push.js';
import { createNewDelivery, startDelivery } from '../../server/delivery/actions.js';
import { analyseDelivery, type DeliveryDeps } from '../../server/delivery/analyse.js';
import { APP_ROOT } from '../../server/shared/app-root.js';
import { silentLogger } from '../../server/shared/logger.js';
import { createInstance, openTestDb, type TestInstance } from '../helpers/instance.js';
import { until } from '../helpers/mta.js';
import { startPushEndpoint, type PushEndpoint } from '../helpers/push-endpoint.js';

/** `herald push` killed with SIGKILL in the middle of a delivery, then started again. */

const MESSAGES = 300;
const CLAIM_BATCH = 20;

describe('herald push killed with SIGKILL mid-send', function () {
  this.timeout(120_000);
  let instance: TestInstance;
  let db: Database;
  let endpoint: PushEndpoint;
  const children: ChildProcess[] = [];

  before(async () => {
    endpoint = await startPushEndpoint();
    instance = createInstance(`[push]\nidlePollMs = 50\nclaimBatch = ${CLAIM_BATCH}\nmaxInFlight = 5\ncaFile = ${JSON.stringify(endpoint.caFile)}\n`);
    db = await openTestDb(instance);
    const now = new Date();
    for (let i = 0; i < MESSAGES; i++) {
      const r = await db.models.Recipient.create({ email: `r${i}@example.com`, firstName: `R${i}`, createdAt: now, updatedAt: now } as never);
      const b = endpoint.browser(`b${i}`);
      assert.ok(await saveSubscription(db, r.id, { endpoint: b.endpoint, ...b.keys }, now));
    }
  });
  after(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await endpoint.close();
    await db.close();
    instance.cleanup();
  });

  const startPush = () => {
    const child = spawn(process.execPath, ['--import=tsx', join(APP_ROOT, 'server/cli/main.ts'), 'push'], { env: instance.env, stdio: 'ignore' });
    children.push(child);
    return child;
  };

  it('loses no notification and sends again at most the batch in flight', async () => {
    const deps: DeliveryDeps = { db, config: instance.config, log: silentLogger(), dkim: [] };
    const d = await createNewDelivery(deps, {
      internalName: 'kill',
      label: 'Kill',
      kind: 'marketing',
      channel: 'push',
      subject: 'Hello <%= recipient.firstName %>',
      fromName: null,
      fromAddress: '',
      replyTo: null,
      html: null,
      text: 'Spring sale today',
      headers: {},
      target: { kind: 'all' },
      exclusions: { duplicates: true, denylisted: true, quarantined: true, limit: null },
      serviceId: null,
      trackingEnabled: false,
      openTracking: false,
      scheduledAt: null,
      validityEnd: null,
    });
    const report = await analyseDelivery(deps, d.id);
    assert.equal(report.state, 'ready', JSON.stringify(report.issues));
    await startDelivery(deps, d.id, new Date());
    const first = startPush();
    await until(() => endpoint.received.length >= MESSAGES / 4, 60_000, 'a quarter of the notifications to reach the push service');
    first.kill('SIGKILL');
    await once(first, 'exit');
    assert.ok(endpoint.received.length < MESSAGES, `killed before the end (${endpoint.received.length} received)`);
    const second = startPush();
    await until(async () => (await db.models.Delivery.findByPk(d.id))!.state === 'finished', 60_000, 'the delivery to finish after the restart');
    second.kill('SIGTERM');
    await once(second, 'exit');

    assert.deepEqual(endpoint.refused, []);
    const perBrowser = new Map<string, number>();
    for (const p of endpoint.received) perBrowser.set(p.name, (perBrowser.get(p.name) ?? 0) + 1);
    assert.equal(perBrowser.size, MESSAGES, 'every subscription got its notification: none lost');
    const duplicates = endpoint.received.length - MESSAGES;
    assert.ok(duplicates <= CLAIM_BATCH, `${duplicates} sent twice, at most the ${CLAIM_BATCH} of the batch in flight`);
    const row = (await db.models.Delivery.findByPk(d.id))!;
    assert.deepEqual([row.sent, row.failed, row.processed], [MESSAGES, 0, MESSAGES], 'each notification counted once');
  });
});
