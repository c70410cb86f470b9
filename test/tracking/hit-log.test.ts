import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../server/shared/logger.js';
import { hitLine, type Hit } from '../../server/shared/tracking-protocol/hit.js';
import { HitLog } from '../../server/tracking/hit-log.js';
import { readHits } from '../../server/tracking/hit-reader.js';
import { parseCheckpoint } from '../../server/shared/tracking-protocol/checkpoint.js';

const hit = (n: number): Hit => ({
  id: `hit-${n}`,
  t: 1_800_000_000_000 + n,
  d: 1,
  b: n,
  u: 2,
  k: 'click',
  ip: '192.0.2.1',
  ua: 'Mozilla/5.0 (X11) Firefox/125.0',
});

describe('hit log and log shipping', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'herald-hits-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const open = (maxFileBytes = 1024 * 1024) => HitLog.open({ dir, flushIntervalMs: 50, maxFileBytes, maxBufferedBytes: 1024 * 1024, log: silentLogger() });
  const source = (log: HitLog) => ({ dir, epoch: log.epoch, currentFile: log.currentFile() });

  /** Reads every hit from the start, page by page, following the checkpoints. */
  async function readAll(log: HitLog, limit: number): Promise<{ ids: string[]; pages: number; next: string }> {
    const ids: string[] = [];
    let since = '';
    let pages = 0;
    for (;;) {
      const page = await readHits(source(log), since, limit);
      pages += 1;
      ids.push(...page.hits.map((h) => (h as Hit).id));
      since = page.next;
      if (!page.more) return { ids, pages, next: since };
    }
  }

  it('writes every hit once, across file changes, and ships them in order page by page', async () => {
    const log = await open(2000);
    for (let n = 0; n < 100; n++) {
      log.append(hit(n), () => undefined);
      if (n % 10 === 9) await log.flush();
    }
    await log.flush();
    assert.ok(readdirSync(dir).filter((f) => f.endsWith('.jsonl')).length > 1, 'the size limit started new files');
    const { ids, pages } = await readAll(log, 7);
    assert.deepEqual(
      ids,
      Array.from({ length: 100 }, (_, n) => `hit-${n}`),
    );
    assert.ok(pages >= 15);
    await log.close();
  });

  it('answers each request only once its hit is written to the file', async () => {
    const log = await open();
    const seen: boolean[] = [];
    const file = () =>
      readdirSync(dir)
        .filter((f) => f.endsWith('.jsonl'))
        .map((f) => readFileSync(join(dir, f), 'utf8'))
        .join('');
    for (let n = 0; n < 3; n++) log.append(hit(n), () => seen.push(file().includes(`"id":"hit-${n}"`)));
    assert.deepEqual(seen, [], 'nothing is answered before the write');
    await log.flush();
    assert.deepEqual(seen, [true, true, true]);
    await log.close();
  });

  it('resumes from a checkpoint, returns nothing new twice, and continues in the file of the next start', async () => {
    let log = await open();
    for (let n = 0; n < 5; n++) log.append(hit(n), () => undefined);
    await log.flush();
    const first = await readAll(log, 100);
    assert.equal(first.ids.length, 5);
    const again = await readHits(source(log), first.next, 100);
    assert.deepEqual([again.hits.length, again.next, again.more], [0, first.next, false]);
    await log.close();
    log = await open();
    log.append(hit(5), () => undefined);
    await log.flush();
    const after = await readHits(source(log), first.next, 100);
    assert.deepEqual(
      after.hits.map((h) => (h as Hit).id),
      ['hit-5'],
    );
    await log.close();
  });

  it('reads from the start for a checkpoint of another log (a wiped or reinstalled server)', async () => {
    const log = await open();
    log.append(hit(1), () => undefined);
    await log.flush();
    const page = await readHits(source(log), '0123456789abcdef.9.999', 100);
    assert.deepEqual(
      page.hits.map((h) => (h as Hit).id),
      ['hit-1'],
    );
    await log.close();
  });

  it('skips a torn line left by a crash and ships the complete ones around it', async () => {
    let log = await open();
    log.append(hit(1), () => undefined);
    await log.close();
    const torn = readdirSync(dir).find((f) => f.endsWith('.jsonl'))!;
    appendFileSync(join(dir, torn), '{"id":"hit-2","t":18000');
    log = await open();
    log.append(hit(3), () => undefined);
    await log.flush();
    assert.deepEqual((await readAll(log, 100)).ids, ['hit-1', 'hit-3']);
    await log.close();
  });

  it('keeps answering when the disk fails: hits are buffered up to the limit, then dropped and counted', async () => {
    const log = await HitLog.open({ dir, flushIntervalMs: 50, maxFileBytes: 300, maxBufferedBytes: 1000, log: silentLogger() });
    symlinkSync('/dev/full', join(dir, 'hits-0000000002.jsonl')); // the next file is a full disk
    let answered = 0;
    for (let n = 0; n < 3; n++) log.append(hit(n), () => answered++);
    await log.flush();
    assert.equal(log.currentFile(), 2, 'the first file is full, writing moved on to the failing one');
    assert.deepEqual(log.status().healthy, true);
    for (let n = 3; n < 8; n++) log.append(hit(n), () => answered++);
    await log.flush();
    assert.equal(answered, 8, 'every request was answered');
    const failing = log.status();
    assert.deepEqual(
      [failing.healthy, failing.bufferedBytes > 0, failing.dropped],
      [false, true, 0],
      'unhealthy (so /r/test answers 503), the hits kept in memory',
    );
    for (let n = 8; n < 30; n++) log.append(hit(n), () => answered++);
    await log.flush();
    assert.equal(answered, 30);
    assert.ok(log.status().dropped > 0, 'past maxBufferedBytes new hits are dropped and counted');
    assert.ok(log.status().bufferedBytes <= 1000 + 300, 'memory stays bounded');
    assert.deepEqual(
      (await readHits(source(log), '', 100)).hits.map((h) => (h as Hit).id),
      ['hit-0', 'hit-1', 'hit-2'],
      'what was written before still ships',
    );
    await log.close();
  });

  it('deletes only finished files older than the retention that an ingest has stored', async () => {
    let log = await open();
    log.append(hit(1), () => undefined);
    await log.close();
    log = await open();
    log.append(hit(2), () => undefined);
    await log.flush();
    const later = Date.now() + 60_000;
    const muchLater = Date.now() + 3_600_000;
    assert.deepEqual(await log.purge(Date.now() - 60_000, Date.now() - 60_000), { removed: 0, unshippedKept: 0, unshippedRemoved: 0 }, 'nothing is old enough');
    assert.deepEqual(await log.purge(later, Date.now() - 60_000), { removed: 0, unshippedKept: 1, unshippedRemoved: 0 }, 'old, but never pulled: kept');
    const { next } = await readAll(log, 100);
    await log.acknowledge(parseCheckpoint(next)!);
    await log.acknowledge({ epoch: '0123456789abcdef', file: 99, offset: 0 });
    assert.equal(readFileSync(join(dir, 'shipped'), 'utf8'), `${log.currentFile()}\n`, "a foreign log's checkpoint confirms nothing");
    await log.close();
    log = await open();
    assert.deepEqual(
      await log.purge(later, Date.now() - 60_000),
      { removed: 1, unshippedKept: 1, unshippedRemoved: 0 },
      'the pulled file goes (the confirmation survives a restart), the file of the second start was never confirmed',
    );
    assert.deepEqual(
      await log.purge(muchLater, later),
      { removed: 0, unshippedKept: 0, unshippedRemoved: 1 },
      'past unshippedRetentionDays it goes all the same',
    );
    assert.equal((await readAll(log, 100)).ids.length, 0, 'the current file is kept (and empty)');
    assert.equal(readdirSync(dir).filter((f) => f.endsWith('.jsonl')).length, 1);
    await log.close();
  });
});

describe('hit log lines', () => {
  const hits: Hit[] = [
    hit(1),
    { ...hit(2), ua: 'Mozilla/5.0 "quoted" \\ back\u0001\u2028', ip: '2001:db8::1', s: 'c0ffee00-0000-4000-8000-000000000000' },
    { ...hit(3), ua: '', k: 'open' },
  ];
  for (const h of hits) {
    it(`writes ${JSON.stringify(h.ua)} as the JSON of the hit`, () => {
      const line = hitLine(h);
      assert.equal(line, JSON.stringify(h) + '\n');
      assert.deepEqual(JSON.parse(line), h);
    });
  }
});
