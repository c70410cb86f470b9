import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Model, ModelStatic, WhereOptions } from 'sequelize';
import type { Database } from '../../../server/db/connect.js';
import { silentLogger } from '../../../server/shared/logger.js';
import { runCleanup } from '../../../server/workflows/technical/cleanup.js';
import { createInstance, openTestDb, resyncIdentities, type TestInstance } from '../../helpers/instance.js';
import { DAY, MINUTE, minus, plus, testEngine } from '../helpers.js';

const NOW = new Date('2026-06-01T00:00:00Z');
/** Just past the retention (purged) and just within it (kept). */
const old = (days: number) => minus(NOW, days * DAY + MINUTE);
const young = (days: number) => plus(minus(NOW, days * DAY), MINUTE);
const times = <T>(n: number, make: (i: number) => T) => Array.from({ length: n }, (_, i) => make(i));

async function seed(db: Database, spoolDir: string): Promise<void> {
  const put = <M extends Model>(model: ModelStatic<M>, rows: object[]) => db.write((transaction) => model.bulkCreate(rows as never[], { transaction }));
  const delivery = (id: number, state: string, extra: object = {}) => ({
    id,
    internalName: `d${id}`,
    label: `d${id}`,
    state,
    createdAt: NOW,
    updatedAt: NOW,
    ...extra,
  });
  await put(db.models.Delivery, [
    delivery(1, 'deleted', { updatedAt: old(7) }),
    delivery(2, 'deleted', { updatedAt: young(7) }),
    delivery(3, 'finished', { validityEnd: old(30) }),
    delivery(4, 'finished', { validityEnd: young(30) }),
  ]);
  const log = (deliveryId: number, updatedAt: Date) => ({
    deliveryId,
    recipientId: null,
    address: 'a@example.com',
    emailFormat: 'html',
    status: 'sent',
    createdAt: updatedAt,
    updatedAt,
  });
  await put(db.models.BroadLog, [
    log(1, NOW),
    log(1, NOW),
    log(1, NOW),
    log(2, NOW),
    ...times(25, () => log(3, old(180))),
    log(3, young(180)),
    log(4, young(180)),
  ]);
  const hit = (deliveryId: number, loggedAt: Date, i: number) => ({
    hitId: `h${deliveryId}-${i}-${loggedAt.getTime()}`,
    deliveryId,
    broadLogId: null,
    recipientId: null,
    urlId: null,
    urlType: 'open',
    loggedAt,
    createdAt: loggedAt,
  });
  await put(db.models.TrackingLog, [
    hit(1, NOW, 1),
    hit(1, NOW, 2),
    hit(2, NOW, 1),
    ...times(23, (i) => hit(3, old(180), i)),
    hit(3, young(180), 0),
    hit(4, young(180), 0),
  ]);
  const stat = (deliveryId: number, slotStart: Date) => ({ deliveryId, urlId: 1, slotStart, clicks: 1 });
  await put(db.models.TrackingStat, [stat(1, NOW), stat(2, NOW), ...times(12, (i) => stat(3, minus(old(365), i * MINUTE))), stat(3, young(365))]);
  const excl = (deliveryId: number) => ({ deliveryId, recipientId: null, address: 'x@example.com', reason: 'duplicate', createdAt: NOW });
  await put(db.models.ExclusionLog, [excl(1), excl(1), excl(2), excl(3), excl(3), excl(4)]);
  await put(db.models.DeliveryIndicator, [
    { deliveryId: 1, computedAt: NOW },
    { deliveryId: 2, computedAt: NOW },
  ]);
  await put(db.models.TrackingUrl, [
    { deliveryId: 1, type: 'click', url: 'https://a.example', createdAt: NOW },
    { deliveryId: 2, type: 'click', url: 'https://b.example', createdAt: NOW },
  ]);

  await put(db.models.Workflow, [{ id: 1, name: 'drip', label: 'drip', kind: 'marketing', state: 'started', createdAt: NOW, updatedAt: NOW }]);
  const run = (startedAt: Date, status = 'succeeded') => ({ workflowId: 1, trigger: 'schedule', status, startedAt });
  await put(db.models.WorkflowRun, [run(old(30)), run(old(30)), run(old(30)), run(young(30)), run(old(30), 'running')]);
  const task = (id: number, status: string, updatedAt: Date) => ({ id, workflowId: 1, activity: 'wait', status, dueAt: NOW, createdAt: updatedAt, updatedAt });
  await put(db.models.WorkflowTask, [task(1, 'done', old(30)), task(2, 'waiting', old(30)), task(3, 'done', young(30))]);
  await put(db.models.WorkflowTaskMember, [
    ...times(13, (i) => ({ taskId: 1, recipientId: i + 1 })),
    { taskId: 2, recipientId: 1 },
    { taskId: 3, recipientId: 1 },
  ]);

  mkdirSync(spoolDir, { recursive: true });
  for (const f of ['a.eml', 'b.eml', 'c.eml']) writeFileSync(join(spoolDir, f), 'x');
  writeFileSync(join(spoolDir, '..', 'outside.eml'), 'x');
  const inbound = (receivedAt: Date, spoolFile: string | null, status = 'unmatched') => ({ receivedAt, kind: 'dsn', status, spoolFile, createdAt: receivedAt });
  await put(db.models.InboundMessage, [
    inbound(old(30), 'a.eml'),
    inbound(old(30), 'b.eml', 'forged'),
    inbound(young(30), 'c.eml'),
    inbound(old(30), '../outside.eml', 'unparsable'),
  ]);

  const job = (id: number, status: string, finishedAt: Date | null) => ({
    id,
    operatorId: null,
    fileName: `f${id}.csv`,
    status,
    finishedAt,
    createdAt: minus(NOW, 40 * DAY),
    updatedAt: NOW,
  });
  await put(db.models.ImportJob, [job(1, 'finished', old(30)), job(2, 'failed', old(30)), job(3, 'finished', young(30)), job(4, 'running', null)]);
  mkdirSync(join(spoolDir, 'imports'), { recursive: true });
  for (const id of [1, 3, 4]) writeFileSync(join(spoolDir, 'imports', `import-${id}.rejects.csv`), 'line,email,reason\r\n');

  const q = (address: string, status: string, updatedAt: Date) => ({ address, domain: 'example.com', status, errorCount: 1, createdAt: updatedAt, updatedAt });
  await put(db.models.Quarantine, [
    q('v-old@example.com', 'valid', old(7)),
    q('v-new@example.com', 'valid', young(7)),
    q('e@example.com', 'with_errors', old(400)),
    q('q@example.com', 'quarantine', old(400)),
    q('d@example.com', 'denylisted', old(400)),
  ]);
  await put(db.models.SmtpStat, [
    ...times(11, (i) => ({ domain: `d${i}.example`, slotStart: old(180), updatedAt: NOW })),
    { domain: 'kept.example', slotStart: young(180), updatedAt: NOW },
  ]);
  await put(db.models.List, [
    { id: 1, name: 'expired', label: 'expired', expiresAt: minus(NOW, MINUTE), createdAt: NOW, updatedAt: NOW },
    { id: 2, name: 'live', label: 'live', expiresAt: plus(NOW, DAY), createdAt: NOW, updatedAt: NOW },
    { id: 3, name: 'forever', label: 'forever', createdAt: NOW, updatedAt: NOW },
  ]);
  await put(
    db.models.Recipient,
    times(12, (i) => ({ id: i + 1, email: `r${i}@example.com`, createdAt: NOW, updatedAt: NOW })),
  );
  await put(db.models.ListMember, [
    ...times(12, (i) => ({ listId: 1, recipientId: i + 1, createdAt: NOW })),
    { listId: 2, recipientId: 1, createdAt: NOW },
    { listId: 3, recipientId: 1, createdAt: NOW },
  ]);
  await resyncIdentities(db);
}

describe('database cleanup workflow', () => {
  let instance: TestInstance;
  let db: Database;
  before(async () => {
    instance = createInstance('[wfserver.cleanup]\nbatchSize = 10\nbatchPauseMs = 0\n');
    db = await openTestDb(instance);
    await seed(db, instance.paths.spoolDir);
  });
  after(async () => {
    await db.close();
    instance.cleanup();
  });
  const cleanupNow = async () => {
    const engine = testEngine(instance, db, { now: () => NOW });
    await engine.syncTechnical();
    return engine.runNow('cleanup');
  };

  it('removes exactly what the retention settings say, and nothing else', async () => {
    const outcome = await cleanupNow();
    assert.equal(outcome.kind === 'ran' && outcome.status, 'succeeded', JSON.stringify(outcome));
    assert.deepEqual(outcome.kind === 'ran' && outcome.counts, {
      lists: 1,
      listMembers: 12,
      deliveries: 1,
      broadLogs: 3 + 25,
      trackingLogs: 2 + 23,
      exclusionLogs: 2 + 2,
      trackingStats: 1 + 12,
      workflowRuns: 3,
      workflowTasks: 1,
      inboundMessages: 3,
      importJobs: 2,
      validQuarantines: 1,
      smtpStats: 11,
    });
    const remaining = async (model: ModelStatic<Model>, where: WhereOptions = {}) => model.count({ where });
    assert.deepEqual(
      (await db.models.Delivery.findAll({ order: [['id', 'ASC']] })).map((d) => d.id),
      [2, 3, 4],
    );
    assert.deepEqual(await Promise.all([1, 2, 3, 4].map((deliveryId) => remaining(db.models.BroadLog, { deliveryId }))), [0, 1, 1, 1]);
    assert.deepEqual(await Promise.all([1, 2, 3, 4].map((deliveryId) => remaining(db.models.TrackingLog, { deliveryId }))), [0, 1, 1, 1]);
    assert.deepEqual(await Promise.all([1, 2, 3, 4].map((deliveryId) => remaining(db.models.ExclusionLog, { deliveryId }))), [0, 1, 0, 1]);
    assert.deepEqual(await Promise.all([1, 2, 3].map((deliveryId) => remaining(db.models.TrackingStat, { deliveryId }))), [0, 1, 1]);
    assert.deepEqual(
      (await db.models.DeliveryIndicator.findAll()).map((d) => d.deliveryId),
      [2],
    );
    assert.deepEqual(
      (await db.models.TrackingUrl.findAll()).map((u) => u.deliveryId),
      [2],
      'tracking URLs go with their delivery',
    );
    assert.deepEqual(
      (await db.models.WorkflowRun.findAll({ order: [['id', 'ASC']] })).map((r) => r.status),
      ['succeeded', 'running', 'succeeded'],
      'a run still running is never purged (the last one is this cleanup)',
    );
    assert.deepEqual(
      (await db.models.WorkflowTask.findAll({ order: [['id', 'ASC']] })).map((t) => t.id),
      [2, 3],
    );
    assert.deepEqual((await db.models.WorkflowTaskMember.findAll()).map((t) => t.taskId).sort(), [2, 3]);
    assert.deepEqual(
      (await db.models.InboundMessage.findAll()).map((i) => i.spoolFile),
      ['c.eml'],
    );
    assert.deepEqual(
      ['a.eml', 'b.eml', 'c.eml', '../outside.eml'].map((f) => existsSync(join(instance.paths.spoolDir, f))),
      [false, false, true, true],
      'spool files go with their mail, never outside the spool',
    );
    assert.deepEqual(
      (await db.models.ImportJob.findAll({ order: [['id', 'ASC']] })).map((j) => j.id),
      [3, 4],
      'a running import is never purged',
    );
    assert.deepEqual(
      [1, 3, 4].map((id) => existsSync(join(instance.paths.spoolDir, 'imports', `import-${id}.rejects.csv`))),
      [false, true, true],
      'reject reports go with their import',
    );
    assert.deepEqual(
      (await db.models.Quarantine.findAll({ order: [['id', 'ASC']] })).map((q) => q.address),
      ['v-new@example.com', 'e@example.com', 'q@example.com', 'd@example.com'],
    );
    assert.deepEqual(
      (await db.models.SmtpStat.findAll()).map((s) => s.domain),
      ['kept.example'],
    );
    assert.deepEqual(
      (await db.models.List.findAll({ order: [['id', 'ASC']] })).map((l) => l.name),
      ['live', 'forever'],
    );
    assert.equal(await remaining(db.models.ListMember), 2);
  });

  it('finds nothing more to remove on a second run', async () => {
    const outcome = await cleanupNow();
    assert.ok(outcome.kind === 'ran' && Object.values(outcome.counts).every((n) => n === 0), JSON.stringify(outcome));
  });

  it('keeps data whose retention is 0 days', async () => {
    await db.write((transaction) =>
      db.models.SmtpStat.create({ domain: 'ancient.example', slotStart: new Date('2000-01-01T00:00:00Z'), updatedAt: NOW }, { transaction }),
    );
    const config = { ...instance.config, wfserver: { ...instance.config.wfserver, cleanup: { ...instance.config.wfserver.cleanup, smtpStatDays: 0 } } };
    const counts = await runCleanup({ db, config, paths: instance.paths, log: silentLogger(), now: NOW, signal: new AbortController().signal });
    assert.equal(counts.smtpStats, undefined, 'the step did not run');
    assert.equal(await db.models.SmtpStat.count({ where: { domain: 'ancient.example' } }), 1);
  });

  it('stops at a failing step, skips the later ones and journals what the earlier ones did', async () => {
    await db.write((transaction) =>
      db.models.BroadLog.create(
        { deliveryId: 3, address: 'z@example.com', emailFormat: 'html', status: 'sent', createdAt: old(200), updatedAt: old(200) },
        { transaction, silent: true },
      ),
    );
    await db.write((transaction) =>
      db.models.Quarantine.create(
        { address: 'v2@example.com', domain: 'example.com', status: 'valid', createdAt: old(8), updatedAt: old(8) },
        { transaction, silent: true },
      ),
    );
    await db.sequelize.getQueryInterface().dropTable('tracking_stats');
    const outcome = await cleanupNow();
    assert.equal(outcome.kind === 'ran' && outcome.status, 'failed');
    assert.match(outcome.kind === 'ran' ? outcome.error! : '', /^step trackingStats: /);
    assert.equal(await db.models.Quarantine.count({ where: { address: 'v2@example.com' } }), 0, 'an earlier step ran');
    assert.equal(await db.models.BroadLog.count({ where: { address: 'z@example.com' } }), 1, 'the broad log step (later) did not run');
    const [run] = await db.models.WorkflowRun.findAll({ order: [['id', 'DESC']], limit: 1 });
    assert.equal(run!.status, 'failed');
    assert.equal(run!.counts!.validQuarantines, 1, 'what the earlier steps did is journaled');
    assert.equal(run!.counts!.broadLogs, 0, 'from the deleted-deliveries step only');
  });
});
