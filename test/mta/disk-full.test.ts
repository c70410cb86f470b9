import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../../server/db/connect.js';
import { APP_ROOT } from '../../server/shared/app-root.js';
import { loadConfig } from '../../server/shared/config/load.js';
import { instancePaths } from '../../server/shared/config/paths.js';
import type { ChildMessage } from '../../server/shared/run-process.js';
import { createInstance, openTestDb, type TestInstance } from '../helpers/instance.js';
import { deliveryState, startedDelivery, until } from '../helpers/mta.js';
import { mountSmallDisk, type SmallDisk } from '../helpers/small-disk.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.js';

/**
 * `herald mta` as a real process whose data folder (database, log) and output file (stderr, as
 * under `herald start --daemon`) sit on a small tmpfs that the test fills in the middle of a send,
 * as in the reproduction (48 MB, full for about half a minute): the module must keep running,
 * report itself unhealthy, and finish the delivery by itself once space is back. On a networked
 * database (PostgreSQL run) only the node's own files are on that disk: the database takes every
 * write, so the node goes on sending while its disk is full and delivers every message.
 */
describe('MTA on a full disk', function () {
  this.timeout(240_000);
  let disk: SmallDisk | undefined;
  let instance: TestInstance;
  let db: Database | undefined;
  let mx: TestSmtpServer;
  let child: ChildProcess | undefined;

  before(function () {
    disk = mountSmallDisk(48);
    if (!disk) {
      process.stdout.write('      (skipped: mounting a small tmpfs is not permitted here; run the tests as root)\n');
      this.skip();
    }
  });
  after(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    await db?.close();
    await mx?.close();
    instance?.cleanup();
    disk?.unmount();
  });

  it('keeps running while the disk is full during a send, reports itself unhealthy, then resumes and delivers every message', async () => {
    mx = await startSmtpServer({ dataDelayMs: 20 });
    instance = createInstance(
      `[mta]\ntransport = "smtp"\ntls = "disabled"\nidlePollMs = 100\ncommitIntervalMs = 50\nmaxInFlight = 20\nclaimBatch = 20\n[[mta.routes]]\ndomain = "*"\nhosts = ["127.0.0.1:${mx.port}"]`,
    );
    writeFileSync(
      instance.siteFile,
      readFileSync(instance.siteFile, 'utf8').replace(/^dataDir = .*$/m, `dataDir = ${JSON.stringify(join(disk!.dir, 'data'))}`),
    );
    instance.config = loadConfig({ siteFile: instance.siteFile, env: {} }).config;
    instance.paths = instancePaths(instance.config);
    db = await openTestDb(instance);
    const COUNT = 400;
    const id = await startedDelivery(
      db,
      instance,
      Array.from({ length: COUNT }, (_, i) => `f${i}@full.test`),
    );

    const out = openSync(join(disk!.dir, 'mta.out'), 'a'); // stderr on the disk that fills up
    child = spawn(process.execPath, ['--import=tsx', join(APP_ROOT, 'server', 'cli', 'main.ts'), 'mta'], {
      cwd: APP_ROOT,
      env: instance.env,
      stdio: ['ignore', out, out, 'ipc'],
    });
    closeSync(out);
    let exited: number | null | undefined;
    child.once('exit', (code) => (exited = code));
    const health = async () => {
      const pong = new Promise<Extract<ChildMessage, { type: 'pong' }>>((resolve) =>
        child!.on('message', (m: ChildMessage) => m.type === 'pong' && resolve(m)),
      );
      child!.send({ type: 'ping', id: Date.now() });
      return ((await pong).status?.health ?? {}) as { ok?: boolean; problems?: Array<{ area: string; reason: string }> };
    };
    await until(() => mx.received.length >= 50, 60_000, 'the send to be under way');

    const databaseOnDisk = instance.config.database.dialect === 'sqlite';
    disk!.fill();
    if (databaseOnDisk) {
      await until(async () => (await health()).ok === false, 30_000, 'the MTA to report itself unhealthy');
      const problems = (await health()).problems ?? [];
      assert.match(JSON.stringify(problems), /storage full|ENOSPC|SQLITE_FULL/, JSON.stringify(problems));
    }
    await new Promise((r) => setTimeout(r, 15_000)); // full for a while, as in the reproduction
    assert.equal(exited, undefined, `the MTA is still running (exit ${String(exited)})`);
    const duringFull = mx.received.length;
    if (databaseOnDisk) assert.ok(duringFull < COUNT, 'the disk filled before the end of the delivery');

    disk!.free();
    await until(async () => (await deliveryState(db!, id)) === 'finished', 120_000, 'the delivery to finish once space is back');
    await until(async () => (await health()).ok === true, 30_000, 'the MTA to report itself healthy again');
    assert.equal(exited, undefined, 'it never exited');
    assert.equal(await db!.models.BroadLog.count({ where: { deliveryId: id, status: 'sent' } }), COUNT, 'every message is sent');
    assert.equal(new Set(mx.received.flatMap((m) => m.to)).size, COUNT, 'every recipient got the message');

    const lines = readFileSync(join(instance.paths.logDir, 'mta.log'), 'utf8').trim().split('\n');
    const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>); // every line whole
    if (databaseOnDisk)
      assert.ok(
        events.some((e) => e.event === 'LOG_LINES_DROPPED' || e.event === 'PROCESS_UNHEALTHY'),
        'the log says what happened while the disk was full',
      );
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0, 'it drains and stops cleanly');
  });
});
