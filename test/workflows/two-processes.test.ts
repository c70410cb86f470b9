import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../../server/db/connect.js';
import { APP_ROOT } from '../../server/shared/app-root.js';
import { createInstance, openTestDb, type TestInstance } from '../helpers/instance.js';
import { journal } from './helpers.js';

const FIXTURE = join(APP_ROOT, 'test', 'workflows', 'fixtures', 'slot-racer.ts');

function waitFor(child: ChildProcessWithoutNullStreams, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.split('\n').includes(line)) resolve();
    });
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`racer exited ${code}: ${err}`))));
  });
}

describe('two workflow servers sharing one database', () => {
  let instance: TestInstance;
  let db: Database;
  before(async () => {
    instance = createInstance('[wfserver]\ntimezone = "UTC"\n');
    db = await openTestDb(instance);
  });
  after(async () => {
    await db.close();
    instance.cleanup();
  });

  it('run each slot once, never two runs of a workflow at the same time', async function () {
    this.timeout(60_000);
    const slots = 40;
    const trace = join(instance.dir, 'trace.txt');
    writeFileSync(trace, '');
    const env = { ...instance.env, SLOT_TRACE: trace, SLOT_COUNT: String(slots), SLOT_FIRST: new Date(Date.now() + 60_000).toISOString() };
    const racers = [0, 1].map(() => spawn(process.execPath, ['--import=tsx', FIXTURE], { cwd: APP_ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] }));
    await Promise.all(racers.map((r) => waitFor(r, 'ready')));
    const done = racers.map((r) => waitFor(r, 'done'));
    for (const r of racers) r.stdin.end('go\n');
    await Promise.all(done);

    const runs = await journal(db, 'cleanup');
    const bySlot = new Map<string, string[]>();
    for (const run of runs) bySlot.set(run.slot!.toISOString(), [...(bySlot.get(run.slot!.toISOString()) ?? []), run.status]);
    assert.equal(bySlot.size, slots, 'every slot is journaled');
    for (const [slot, statuses] of bySlot) {
      assert.equal(statuses.length, 1, `slot ${slot} journaled once, got ${statuses.join(', ')}`);
      assert.ok(['succeeded', 'skipped'].includes(statuses[0]!), `slot ${slot}: ${statuses[0]}`);
    }

    const events = readFileSync(trace, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(' '));
    const starts = events.filter((e) => e[1] === 'start').length;
    assert.equal(starts, runs.filter((r) => r.status === 'succeeded').length, 'one job execution per successful run');
    let running = 0;
    for (const [, kind] of events) {
      running += kind === 'start' ? 1 : -1;
      assert.ok(running <= 1, 'two runs of the workflow overlapped');
    }
  });
});
