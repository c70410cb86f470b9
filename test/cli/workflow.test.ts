import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_ROOT } from '../../server/shared/app-root.js';
import { herald } from '../helpers/cli.js';
import { createInstance, type TestInstance } from '../helpers/instance.js';

describe('herald workflow', function () {
  this.timeout(60_000);
  let instance: TestInstance;
  before(async () => {
    instance = createInstance('[wfserver]\ntimezone = "UTC"\n');
    const migrated = await herald(['db', 'migrate'], instance.env);
    assert.equal(migrated.code, 0, migrated.stderr);
  });
  after(() => instance.cleanup());

  it('lists the technical workflows from the config, with their schedule and next run', async () => {
    const res = await herald(['workflow', 'list'], instance.env);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /^NAME +KIND +STATE +SCHEDULE +NEXT RUN +LAST RUN +STATUS$/m);
    assert.match(res.stdout, /^cleanup +technical +started +0 4 \* \* \* +\d{4}-\d\d-\d\dT04:00:00Z$/m);
    const json = (await herald(['workflow', 'list', '--json'], instance.env)).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(json.map((w) => w.name).sort(), [
      'cleanup',
      'deliveryIndicators',
      'deliveryScheduler',
      'mtaStats',
      'quarantineRelease',
      'reportStats',
      'routing',
      'subscriptionExpiry',
      'tracking',
    ]);
  });

  it('runs a workflow now and shows it in the journal', async () => {
    const run = await herald(['workflow', 'run', 'deliveryScheduler'], instance.env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^run 1 succeeded in \d+ ms\nstarted=0 expired=0 cancelledMessages=0\n$/);
    const runs = await herald(['workflow', 'runs', 'deliveryScheduler', '--json'], instance.env);
    const [entry] = runs.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual([entry.id, entry.trigger, entry.status, entry.counts], [1, 'manual', 'succeeded', { started: 0, expired: 0, cancelledMessages: 0 }]);
    const table = await herald(['workflow', 'runs', 'deliveryScheduler'], instance.env);
    assert.match(table.stdout, /^1 +\S+ +manual +succeeded +\d+ +started=0 expired=0 cancelledMessages=0$/m);
    assert.match((await herald(['workflow', 'list'], instance.env)).stdout, /^deliveryScheduler .* succeeded$/m);
  });

  it('pauses, starts and stops a workflow, and refuses what its state does not allow', async () => {
    const pause = await herald(['workflow', 'pause', 'cleanup'], instance.env);
    assert.equal(pause.code, 0, pause.stderr);
    assert.equal(pause.stdout, 'workflow "cleanup": started → paused\n');
    const again = await herald(['workflow', 'pause', 'cleanup'], instance.env);
    assert.equal(again.code, 65);
    assert.equal(again.stderr, 'herald: workflow "cleanup" is paused: it cannot pause\n');
    assert.equal((await herald(['workflow', 'start', 'cleanup'], instance.env)).stdout, 'workflow "cleanup": paused → started\n');
    assert.equal((await herald(['workflow', 'stop', 'cleanup'], instance.env)).stdout, 'workflow "cleanup": started → finished\n');
    assert.equal((await herald(['workflow', 'start', 'cleanup'], instance.env)).code, 0);
    const unknown = await herald(['workflow', 'run', 'nope'], instance.env);
    assert.equal(unknown.code, 65);
    assert.match(unknown.stderr, /no workflow named "nope"/);
  });

  it('saves a marketing workflow from a JSON file, refusing an invalid one with its reasons', async () => {
    const file = join(instance.dir, 'weekly.json');
    const definition = {
      activities: [
        { id: 'monday', type: 'scheduler', cron: '0 9 * * 1', next: 'all' },
        { id: 'all', type: 'query', next: 'done' },
        { id: 'done', type: 'end' },
      ],
    };
    writeFileSync(file, JSON.stringify({ name: 'weekly', label: 'Weekly', definition }));
    const saved = await herald(['workflow', 'save', file], instance.env);
    assert.equal(saved.code, 0, saved.stderr);
    assert.match(saved.stdout, /workflow "weekly" created/);
    assert.equal((await herald(['workflow', 'start', 'weekly'], instance.env)).code, 0);
    assert.match((await herald(['workflow', 'list'], instance.env)).stdout, /^weekly +marketing +started +0 9 \* \* 1 +\S+Z$/m);
    writeFileSync(file, JSON.stringify({ name: 'bad', definition: { activities: [{ id: 'x', type: 'start', next: 'y' }] } }));
    const bad = await herald(['workflow', 'save', file], instance.env);
    assert.equal(bad.code, 65);
    assert.match(bad.stderr, /invalid workflow definition: x\.next: no activity "y"/);
  });

  it('runs the wfserver module: ready over IPC, its schedules logged, drained on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import=tsx', join(APP_ROOT, 'server/cli/main.ts'), 'wfserver'], {
      env: instance.env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const [message] = (await Promise.race([once(child, 'message'), once(child, 'exit').then(() => assert.fail(`wfserver exited: ${stderr}`))])) as [
      { type: string },
    ];
    assert.equal(message.type, 'ready');
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0, stderr);
    const events = readFileSync(join(instance.paths.logDir, 'wfserver.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const started = events.find((e) => e.event === 'WF_ENGINE_STARTED');
    assert.deepEqual(started.scheduled, [
      'cleanup',
      'deliveryIndicators',
      'deliveryScheduler',
      'mtaStats',
      'quarantineRelease',
      'reportStats',
      'routing',
      'subscriptionExpiry',
      'tracking',
      'weekly',
    ]);
    assert.ok(!events.some((e) => e.event === 'WF_NO_JOB'), 'every configured technical workflow has a job');
    assert.ok(events.some((e) => e.event === 'PROCESS_STOPPED'));
  });
});
