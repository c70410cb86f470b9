import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../../server/db/connect.js';
import { runRouting, routingSpoolRoot } from '../../server/routing/run-routing.js';
import { spoolDirs } from '../../server/routing/spool.js';
import { APP_ROOT } from '../../server/shared/app-root.js';
import { silentLogger } from '../../server/shared/logger.js';
import { createInstance, openTestDb, type TestInstance } from '../helpers/instance.js';
import { startedRoutedDelivery } from './helpers.js';

/**
 * kill -9 of a real `herald workflow run routing` while it writes extraction files: the next run
 * finishes the interrupted extraction, no file is ever visible half written, and every message is
 * in exactly one file and counted once.
 */

const RECIPIENTS = 4000;

describe('routing killed with kill -9 in the middle of an extraction', function () {
  this.timeout(180_000);
  let instance: TestInstance;
  let db: Database;

  before(async () => {
    instance = createInstance(
      [
        '[routing]',
        'maxMessagesPerFile = 100',
        '',
        '[[routing.providers]]',
        'name = "printer"',
        'channel = "direct_mail"',
        'columns = ["documentId", "lastName", "city"]',
        '',
      ].join('\n'),
    );
    db = await openTestDb(instance);
    const now = new Date();
    for (let i = 0; i < RECIPIENTS; i += 500)
      await db.models.Recipient.bulkCreate(
        Array.from({ length: 500 }, (_, k) => ({
          email: `r${i + k}@example.com`,
          lastName: `Name ${i + k}`,
          addressLine1: `${i + k} Long Road`,
          postalCode: '75001',
          city: 'Paris',
          country: 'FR',
          createdAt: now,
          updatedAt: now,
        })) as never,
      );
  });
  after(async () => {
    await db?.close();
    instance?.cleanup();
  });

  it('finishes the interrupted extraction on the next run: every message in one whole file, sent once', async () => {
    const { id } = await startedRoutedDelivery(db, instance.config, { internalName: 'crash' });
    const dirs = spoolDirs(routingSpoolRoot(instance.config, instance.paths), 'printer');
    const child = spawn(process.execPath, ['--import=tsx', join(APP_ROOT, 'server', 'cli', 'main.ts'), 'workflow', 'run', 'routing'], {
      cwd: APP_ROOT,
      env: instance.env,
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    const files = () => {
      try {
        return readdirSync(dirs.out);
      } catch {
        return [];
      }
    };
    while (files().length < 3 && child.exitCode === null) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL', 'the run was killed before it ended');
    const written = files().filter((f) => !f.startsWith('.'));
    assert.ok(written.length < RECIPIENTS / 100, `killed mid-run (${written.length} files)`);
    for (const f of written) {
      const lines = readFileSync(join(dirs.out, f), 'utf8').split('\r\n');
      assert.equal(lines.at(-1), '', `${f} ends with a whole line`);
      assert.equal(lines.length, 102, `${f} holds a header and 100 letters`);
    }
    const before = await db.models.BroadLog.count({ where: { deliveryId: id, status: 'sent' } });
    assert.ok(before < RECIPIENTS);

    // the killed run holds the workflow lease until it expires; the next run is this process's
    const counts = await runRouting({
      db,
      config: instance.config,
      paths: instance.paths,
      log: silentLogger(),
      now: new Date(),
      signal: new AbortController().signal,
    });
    assert.ok(counts.files! >= RECIPIENTS / 100 - written.length);
    const names = files();
    assert.deepEqual(
      names.filter((f) => f.startsWith('.')),
      [],
      'no part file is left',
    );
    const ids = names.flatMap((f) =>
      readFileSync(join(dirs.out, f), 'utf8')
        .split('\r\n')
        .slice(1, -1)
        .map((l) => l.split(';')[0]!),
    );
    assert.equal(ids.length, RECIPIENTS, 'every message is in a file');
    assert.equal(new Set(ids).size, RECIPIENTS, 'no message is in two files');
    const logs = await db.models.BroadLog.findAll({ attributes: ['id', 'status'], where: { deliveryId: id }, raw: true });
    assert.deepEqual(new Set(ids), new Set(logs.map((l) => `H${id}-${l.id}`)));
    assert.ok(logs.every((l) => l.status === 'sent'));
    const delivery = await db.models.Delivery.findByPk(id);
    assert.equal(delivery!.sent, RECIPIENTS, 'each message counted once');
    assert.equal(delivery!.state, 'finished');
    const extractions = await db.models.RoutingExtraction.findAll({ where: { deliveryId: id }, raw: true });
    assert.equal(
      extractions.reduce((n, e) => n + e.messages, 0),
      RECIPIENTS,
    );
    assert.ok(extractions.every((e) => e.status === 'written'));
  });
});
