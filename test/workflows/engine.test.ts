import assert from 'node:assert/strict';
import type { Database } from '../../server/db/connect.js';
import { setWorkflowState, takeLease } from '../../server/db/repos/workflows.js';
import type { Engine } from '../../server/workflows/engine.js';
import { changeState, requireWorkflow, saveWorkflow } from '../../server/workflows/lifecycle.js';
import type { TechnicalJob } from '../../server/workflows/technical/context.js';
import { createInstance, openTestDb, type TestInstance } from '../helpers/instance.js';
import { at, DAY, deferred, fakeClock, HOUR, journal, MINUTE, plus, testEngine, type FakeClock } from './helpers.js';

describe('workflow engine (injectable clock)', () => {
  let instance: TestInstance;
  let db: Database;
  let clock: FakeClock;
  let engine: Engine;
  let job: TechnicalJob;
  let calls: Date[];

  before(async () => {
    instance = createInstance('[wfserver]\ntimezone = "UTC"\n[wfserver.workflows.cleanup]\nschedule = "0 4 * * *"\n');
    db = await openTestDb(instance);
  });
  after(async () => {
    await db.close();
    instance.cleanup();
  });
  beforeEach(async () => {
    await db.write(async (transaction) => {
      await db.models.WorkflowRun.destroy({ where: {}, transaction });
      await db.models.Workflow.destroy({ where: {}, transaction });
    });
    calls = [];
    job = async (ctx) => {
      calls.push(ctx.now);
      return { purged: 1 };
    };
    clock = fakeClock('2026-03-01T03:00:00Z');
    engine = testEngine(instance, db, clock, { technical: { cleanup: { label: 'Database cleanup', run: (ctx) => job(ctx) } } });
    await engine.syncTechnical();
  });
  afterEach(() => engine.stop());

  const fireAt = (iso: string, trigger: 'schedule' | 'catchup' = 'schedule') => {
    clock.set(iso);
    return engine.fire('cleanup', at(iso), trigger);
  };

  it('runs a slot once however often it fires, and journals start, end, status, counts and duration', async () => {
    const first = await fireAt('2026-03-01T04:00:00Z');
    const again = await fireAt('2026-03-01T04:00:00Z');
    assert.equal(first?.kind, 'ran');
    assert.deepEqual(again, { kind: 'not-run', reason: 'taken' });
    const [run, ...rest] = await journal(db, 'cleanup');
    assert.equal(rest.length, 0);
    assert.equal(run!.trigger, 'schedule');
    assert.equal(run!.slot!.toISOString(), '2026-03-01T04:00:00.000Z');
    assert.equal(run!.status, 'succeeded');
    assert.equal(run!.startedAt.toISOString(), '2026-03-01T04:00:00.000Z');
    assert.ok(run!.endedAt);
    assert.equal(typeof run!.durationMs, 'number');
    assert.deepEqual(run!.counts, { purged: 1 });
    assert.equal(run!.owner, 'test-owner');
    assert.equal((await db.models.Workflow.findOne({ where: { name: 'cleanup' } }))!.leaseOwner, null, 'the lease is released');
  });

  it('refuses a run while the previous one still runs, journals the refusal, and runs the next slot', async () => {
    const hold = deferred();
    const started = deferred();
    job = async () => {
      started.resolve();
      await hold.promise;
      return {};
    };
    const long = fireAt('2026-03-01T04:00:00Z');
    await started.promise;
    const overlap = await fireAt('2026-03-01T04:01:00Z'); // within the 2-minute lease
    assert.equal(overlap?.kind, 'skipped');
    hold.resolve();
    assert.equal((await long)?.kind, 'ran');
    job = async () => ({});
    assert.equal((await fireAt('2026-03-01T04:02:00Z'))?.kind, 'ran');
    assert.deepEqual(
      (await journal(db, 'cleanup')).map((r) => [r.startedAt.toISOString().slice(11, 16), r.status]),
      [
        ['04:00', 'succeeded'],
        ['04:01', 'skipped'],
        ['04:02', 'succeeded'],
      ],
    );
    assert.match((await journal(db, 'cleanup'))[1]!.error!, /previous run still in progress \(held by test-owner/);
  });

  it('journals a failed run with its error, and the next run proceeds', async () => {
    job = async () => {
      throw new Error('disk full');
    };
    const failed = await fireAt('2026-03-01T04:00:00Z');
    assert.equal(failed?.kind === 'ran' && failed.status, 'failed');
    job = async () => ({ purged: 2 });
    await fireAt('2026-03-02T04:00:00Z');
    const runs = await journal(db, 'cleanup');
    assert.deepEqual(
      runs.map((r) => [r.status, r.error]),
      [
        ['failed', 'disk full'],
        ['succeeded', null],
      ],
    );
    assert.equal((await db.models.Workflow.findOne({ where: { name: 'cleanup' } }))!.state, 'started', 'a failed technical run does not stop the workflow');
  });

  it('runs the slots missed during downtime once, not once per missed slot', async () => {
    clock.set('2026-03-04T10:00:00Z'); // down since 03:00 on the 1st: three nightly slots missed
    await engine.poll();
    await engine.poll();
    const runs = await journal(db, 'cleanup');
    assert.equal(runs.length, 1);
    assert.equal(runs[0]!.trigger, 'catchup');
    assert.equal(runs[0]!.slot!.toISOString(), '2026-03-04T04:00:00.000Z', 'the latest missed slot');
    assert.deepEqual(
      calls.map((c) => c.toISOString()),
      ['2026-03-04T10:00:00.000Z'],
    );
    assert.equal((await db.models.Workflow.findOne({ where: { name: 'cleanup' } }))!.lastRunAt!.toISOString(), '2026-03-04T04:00:00.000Z');
  });

  it('catches up at start without waiting for the grace period, and not again at the next fire', async () => {
    clock.set('2026-03-01T04:00:10Z');
    await engine.start();
    await engine.stop();
    assert.equal((await journal(db, 'cleanup')).length, 1);
    assert.equal((await fireAt('2026-03-01T04:00:00Z'))?.kind, 'not-run', 'node-cron firing the same slot finds it run');
  });

  it('reads a marketing Scheduler’s cron in the Scheduler’s time zone, across its clock change, and the others in the wfserver’s', async () => {
    const cases: Array<[string | undefined, string, string]> = [
      // the zone of the Scheduler, its stored schedule, the slot of "0 9 * * *" missed by 2026-03-08T15:00Z
      ['America/New_York', 'CRON_TZ=America/New_York 0 9 * * *', '2026-03-08T13:00:00.000Z'], // 09:00 EDT, the first morning of summer time
      ['Asia/Kolkata', 'CRON_TZ=Asia/Kolkata 0 9 * * *', '2026-03-08T03:30:00.000Z'], // 09:00 IST
      [undefined, '0 9 * * *', '2026-03-08T09:00:00.000Z'], // none: the wfserver's zone (UTC here)
    ];
    for (const [i, [zone, stored, slot]] of cases.entries()) {
      const name = `morning-${i}`;
      clock.set('2026-03-07T15:00:00Z');
      await saveWorkflow(db, {
        name,
        definition: {
          activities: [
            { id: 'go', type: 'scheduler', cron: '0 9 * * *', ...(zone ? { timezone: zone } : {}), next: 'done' },
            { id: 'done', type: 'end' },
          ],
        },
      });
      await changeState(db, await requireWorkflow(db, name), 'start', clock.now());
      assert.equal((await requireWorkflow(db, name)).schedule, stored);
      clock.set('2026-03-08T15:00:00Z');
      await engine.poll();
      const runs = await journal(db, name);
      assert.equal(runs.length, 1, name);
      assert.equal(runs[0]!.slot!.toISOString(), slot, `${zone ?? 'no zone'}: the latest missed slot`);
    }
    await assert.rejects(
      saveWorkflow(db, {
        name: 'nowhere',
        definition: {
          activities: [
            { id: 'go', type: 'scheduler', cron: '0 9 * * *', timezone: 'Mars/Base', next: 'done' },
            { id: 'done', type: 'end' },
          ],
        },
      }),
      /expected an IANA time zone/,
    );
  });

  it('leaves a slot that is not missed yet to node-cron (the poll waits a minute)', async () => {
    clock.set('2026-03-01T04:00:30Z');
    await engine.poll();
    assert.equal((await journal(db, 'cleanup')).length, 0);
    clock.set(plus(at('2026-03-01T04:00:00Z'), MINUTE + 1000));
    await engine.poll();
    assert.equal((await journal(db, 'cleanup')).length, 1);
  });

  it('does not run a paused workflow, and runs the missed slot once when it is started again', async () => {
    const wf = (await db.models.Workflow.findOne({ where: { name: 'cleanup' } }))!;
    await setWorkflowState(db, wf.id, ['started'], 'paused');
    assert.deepEqual(await fireAt('2026-03-01T04:00:00Z'), { kind: 'not-run', reason: 'inactive' });
    await setWorkflowState(db, wf.id, ['paused'], 'started');
    clock.set('2026-03-03T12:00:00Z');
    await engine.poll();
    assert.deepEqual(
      (await journal(db, 'cleanup')).map((r) => r.trigger),
      ['catchup'],
    );
  });

  it('closes a run abandoned by a crashed wfserver once its lease expires, and runs', async () => {
    const wf = (await db.models.Workflow.findOne({ where: { name: 'cleanup' } }))!;
    const crashAt = at('2026-03-01T04:00:00Z');
    await takeLease(db, { workflowId: wf.id, owner: 'crashed', now: crashAt, leaseMs: 2 * MINUTE, slot: crashAt, requireActive: true });
    await db.write((transaction) =>
      db.models.WorkflowRun.create({ workflowId: wf.id, trigger: 'schedule', status: 'running', startedAt: crashAt, owner: 'crashed' }, { transaction }),
    );
    assert.equal((await fireAt('2026-03-01T04:01:00Z', 'catchup'))?.kind, 'skipped', 'the lease still holds');
    const outcome = await fireAt('2026-03-02T04:00:00Z');
    assert.equal(outcome?.kind, 'ran');
    const runs = await journal(db, 'cleanup');
    assert.equal(runs[0]!.status, 'failed');
    assert.match(runs[0]!.error!, /abandoned/);
    assert.equal(runs.at(-1)!.status, 'succeeded');
  });

  it('runs a workflow by hand whatever its schedule, and refuses while it runs elsewhere', async () => {
    const manual = await engine.runNow('cleanup');
    assert.equal(manual.kind === 'ran' && manual.status, 'succeeded');
    const wf = (await db.models.Workflow.findOne({ where: { name: 'cleanup' } }))!;
    await takeLease(db, { workflowId: wf.id, owner: 'other-host:1', now: clock.now(), leaseMs: HOUR, requireActive: false });
    assert.deepEqual(await engine.runNow('cleanup'), { kind: 'not-run', reason: 'busy', holder: 'other-host:1' });
    assert.deepEqual(
      (await journal(db, 'cleanup')).map((r) => r.trigger),
      ['manual'],
    );
    await assert.rejects(engine.runNow('nope'), /no workflow named "nope"/);
  });

  it('creates the technical workflows from the config, started, with the schedule counted from their creation', async () => {
    const wf = (await db.models.Workflow.findOne({ where: { name: 'cleanup' } }))!;
    assert.deepEqual(
      [wf.kind, wf.state, wf.schedule, wf.enabled, wf.lastRunAt?.toISOString()],
      ['technical', 'started', '0 4 * * *', true, '2026-03-01T03:00:00.000Z'],
    );
    clock.advance(10 * DAY);
    await engine.syncTechnical();
    assert.equal(await db.models.Workflow.count({ where: { name: 'cleanup' } }), 1, 'syncing twice creates nothing more');
  });
});
