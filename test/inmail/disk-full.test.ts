import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_ROOT } from '../../server/shared/app-root.js';
import { healthStatus } from '../../server/shared/health.js';
import { testDialect } from '../helpers/instance.js';
import { until } from '../helpers/mta.js';
import { mountSmallDisk, type SmallDisk } from '../helpers/small-disk.js';
import { startInmailHarness, type InmailHarness } from './inmail-instance.js';

const FIXTURE = readFileSync(join(APP_ROOT, 'test', 'fixtures', 'bounces', 'lhost-sendmail-01.eml'), 'utf8');

/**
 * inMail with its database on a small tmpfs the test fills: bounces accepted (their spool is on
 * another disk) wait while the database cannot be written — never set aside as "unstored" as if
 * they were at fault — the module reports itself unhealthy, and processes them once space is back.
 */
describe('inMail on a full database disk', function () {
  this.timeout(120_000);
  let disk: SmallDisk | undefined;
  let h: InmailHarness | undefined;

  before(function () {
    if (testDialect() !== 'sqlite') {
      // a networked database's files are on its server's disk, not on a disk of this node
      process.stdout.write('      (skipped: the database is not a file of this node on this run)\n');
      this.skip();
    }
    disk = mountSmallDisk(24);
    if (!disk) {
      process.stdout.write('      (skipped: mounting a small tmpfs is not permitted here; run the tests as root)\n');
      this.skip();
    }
  });
  after(async () => {
    await h?.stop();
    disk?.unmount();
  });

  it('keeps accepted bounces waiting while the disk is full, reports it, and applies them when space is back', async () => {
    h = await startInmailHarness(`[database]\nsqliteFile = ${JSON.stringify(join(disk!.dir, 'herald.sqlite'))}`);
    const { db } = h;
    const seeded = [];
    for (let i = 0; i < 5; i++) seeded.push(await h.seed(`full${i}@bouncehammer.jp`));
    disk!.fill();
    for (const s of seeded) {
      const raw = FIXTURE.replaceAll('userunknown@bouncehammer.jp', (await db.models.BroadLog.findByPk(s.broadLogId))!.address);
      assert.match(await h.send(s.verp, raw), /^250 /, 'the spool (another disk) takes the bounce');
    }
    await until(() => healthStatus().problems.some((p) => p.area === 'database' && /storage full/.test(p.reason)), 30_000, 'inMail to report the full disk');
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal(await db.models.InboundMessage.count(), 0, 'nothing was set aside as unstored');
    assert.ok(h.service.status().queued > 0 || (await db.models.BroadLog.count({ where: { status: 'failed' } })) < seeded.length, 'the bounces wait');

    disk!.free();
    await until(
      async () => (await db.models.BroadLog.count({ where: { status: 'failed' } })) === seeded.length,
      60_000,
      'every bounce applied once space is back',
    );
    assert.equal(await db.models.InboundMessage.count(), 0);
    await until(() => !healthStatus().problems.some((p) => p.area === 'database'), 10_000, 'healthy again');
  });
});
