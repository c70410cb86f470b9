import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { healthStatus } from '../../server/shared/health.js';
import { createLogger } from '../../server/shared/logger.js';
import { mountSmallDisk, type SmallDisk } from '../helpers/small-disk.js';

describe('logger', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'herald-log-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const lines = (module: string) =>
    readFileSync(join(dir, `${module}.log`), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);

  it('writes one JSON line per event with time, level, module, event code and fields', async () => {
    const log = createLogger({ module: 'mta', dir, level: 'info', console: false, maxSizeMb: 1, maxFiles: 2 });
    log.info('DB_CONNECTED', { dialect: 'sqlite', version: '3.52.0' });
    log.debug('DB_CONNECTED', { dropped: true });
    await log.close();
    const [line, ...rest] = lines('mta');
    assert.equal(rest.length, 0, 'debug is below the level and is not written');
    assert.deepEqual(Object.keys(line!).slice(0, 4), ['time', 'level', 'module', 'event']);
    assert.equal(line!.event, 'DB_CONNECTED');
    assert.equal(line!.module, 'mta');
    assert.equal(line!.dialect, 'sqlite');
  });

  it('never writes secrets or message bodies', async () => {
    const key = 'k'.repeat(40);
    const log = createLogger({ module: 'web', dir, level: 'info', console: false, maxSizeMb: 1, maxFiles: 2, secrets: [key] });
    log.child({ requestId: 'r1' }).warn('WEB_REQUEST_FAILED', {
      password: 'hunter2',
      apiKey: 'abc',
      html: '<p>private</p>',
      text: 'body text',
      note: `leaked ${key} here`,
      err: new Error(`bad key ${key}`),
    });
    await log.close();
    const raw = readFileSync(join(dir, 'web.log'), 'utf8');
    for (const forbidden of ['hunter2', 'abc', 'private', 'body text', key]) assert.ok(!raw.includes(forbidden), `"${forbidden}" leaked into the log`);
    const [line] = lines('web');
    assert.equal(line!.password, '[redacted]');
    assert.equal(line!.requestId, 'r1', 'child fields are kept');
    assert.match(String((line!.err as { message: string }).message), /bad key \[redacted\]/, 'errors keep their message, minus secrets');
  });

  it('rotates the file by size and keeps the configured number of files', async () => {
    const log = createLogger({ module: 'inmail', dir, level: 'info', console: false, maxSizeMb: 1, maxFiles: 2 });
    const filler = 'x'.repeat(2000);
    for (let i = 0; i < 1500; i++) log.info('PROCESS_READY', { filler, i });
    await log.close();
    const files = readdirSync(dir)
      .filter((f) => f.startsWith('inmail'))
      .sort();
    assert.deepEqual(files, ['inmail.log', 'inmail.log.1']);
    const last = lines('inmail').pop()!;
    assert.equal(last.i, 1499, 'the newest events are in inmail.log');
  });
});

describe('logger on a full disk', function () {
  let disk: SmallDisk | undefined;
  before(function () {
    disk = mountSmallDisk(1);
    if (!disk) {
      console.log('      (skipped: mounting a small tmpfs is not permitted here; run as root)');
      this.skip();
    }
  });
  after(() => disk?.unmount());

  it('keeps running while the disk is full, reports it, then reopens its file and says how many lines it dropped', async () => {
    const dir = join(disk!.dir, 'log');
    const log = createLogger({ module: 'inmail', dir, level: 'info', console: false, maxSizeMb: 10, maxFiles: 2 });
    log.info('DB_CONNECTED', { n: 0 });
    disk!.fill();
    for (let n = 1; n <= 200; n++) log.info('DB_CONNECTED', { n, padding: 'x'.repeat(200) });
    assert.equal(healthStatus().ok, false, 'the module reports itself unhealthy');
    assert.match(JSON.stringify(healthStatus().problems), /log.*ENOSPC/);
    disk!.free();
    await new Promise((r) => setTimeout(r, 1100));
    log.info('DB_CONNECTED', { n: 201 });
    await log.close();
    assert.equal(healthStatus().ok, true, 'healthy again once a line is written');
    const text = readFileSync(join(dir, 'inmail.log'), 'utf8');
    const parsed = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>); // no half-written line glued to the next
    const dropped = parsed.find((l) => l.event === 'LOG_LINES_DROPPED');
    assert.ok(dropped && Number(dropped.dropped) > 0, 'a line says how many were dropped');
    assert.equal(parsed.at(-1)!.n, 201, 'the log goes on after the disk had room again');
  });
});
