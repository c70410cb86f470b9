import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Op, QueryTypes } from 'sequelize';
import type { Database } from '../../server/db/connect.js';
import type { BroadLog } from '../../server/db/models/index.js';
import { rescheduleDomain } from '../../server/db/repos/mta-throttle.js';
import { claimDue, claimSql, releaseLeases, renewLeases, sendingDeliveries } from '../../server/db/repos/mta-queue.js';
import { APP_ROOT } from '../../server/shared/app-root.js';
import { createInstance, openTestDb, type TestInstance } from '../helpers/instance.js';
import { captureMssql } from '../helpers/mssql-capture.js';
import { matchSnapshot } from '../helpers/snapshots.js';

describe('MTA queue (broad log leases)', () => {
  let instance: TestInstance;
  let db: Database;
  let deliveryId: number;
  beforeEach(async () => {
    instance = createInstance();
    db = await openTestDb(instance);
    const d = await db.write((t) => db.models.Delivery.create({ internalName: `d-${Date.now()}`, label: 'D', state: 'in_progress' }, { transaction: t }));
    deliveryId = d.id;
  });
  afterEach(async () => {
    await db.close();
    instance.cleanup();
  });

  const seed = (n: number, extra: Partial<Parameters<typeof BroadLog.create>[0]> = {}) =>
    db.write((t) =>
      db.models.BroadLog.bulkCreate(
        Array.from({ length: n }, (_, i) => ({
          deliveryId,
          recipientId: i + 1,
          address: `u${i}@example.test`,
          emailFormat: 'html' as const,
          status: 'pending' as const,
          ...extra,
        })),
        { transaction: t },
      ),
    );
  const now = () => new Date();
  const lease = (owner: string, limit: number, at = now(), seconds = 600) =>
    claimDue(db, { deliveryId, owner, now: at, until: new Date(at.getTime() + seconds * 1000), limit });

  it('claims due messages once: a second claimer gets the others', async () => {
    await seed(10);
    const a = await lease('mta-a', 6);
    const b = await lease('mta-b', 6);
    assert.equal(a.length, 6);
    assert.equal(b.length, 4);
    assert.equal(new Set([...a, ...b].map((r) => r.id)).size, 10);
    assert.equal((await lease('mta-c', 6)).length, 0, 'nothing left while the leases hold');
  });

  it('skips messages waiting for a retry and gives foreign leases back only after they expire', async () => {
    await seed(3);
    await seed(2, { nextAttemptAt: new Date(Date.now() + 3_600_000) });
    const t0 = now();
    assert.equal((await lease('mta-a', 10, t0, 60)).length, 3, 'the two deferred ones are not due');
    assert.equal((await lease('mta-b', 10, new Date(t0.getTime() + 30_000))).length, 0);
    assert.equal((await lease('mta-b', 10, new Date(t0.getTime() + 61_000))).length, 3, 'after expiry another MTA takes them');
  });

  it('frees its own stale leases at start', async () => {
    await seed(4);
    await lease('mta-a', 4);
    assert.equal(await releaseLeases(db, 'mta-a'), 4);
    assert.equal((await lease('mta-a', 4)).length, 4);
  });

  it('renews the leases of its messages in flight, and no other', async () => {
    await seed(4);
    const t0 = now();
    const mine = await lease('mta-a', 2, t0, 60);
    const theirs = await lease('mta-b', 2, t0, 60);
    const later = new Date(t0.getTime() + 600_000);
    assert.equal(
      await renewLeases(
        db,
        'mta-a',
        [...mine, ...theirs].map((m) => m.id),
        later,
      ),
      2,
      'only its own two',
    );
    assert.equal((await lease('mta-c', 10, new Date(t0.getTime() + 61_000))).length, 2, "mta-b's expired leases are taken");
    assert.equal((await lease('mta-c', 10, new Date(t0.getTime() + 599_000))).length, 0, "mta-a's renewed leases still hold");
  });

  it('lists only deliveries that are sending and within their validity, transactional ones first', async () => {
    await db.write(async (t) => {
      await db.models.Delivery.create({ internalName: 'paused', label: 'P', state: 'paused' }, { transaction: t });
      await db.models.Delivery.create(
        { internalName: 'expired', label: 'E', state: 'in_progress', validityEnd: new Date(Date.now() - 1000) },
        { transaction: t },
      );
      await db.models.Delivery.create({ internalName: 'tx', label: 'T', state: 'start_pending', kind: 'transactional' }, { transaction: t });
    });
    const list = await sendingDeliveries(db, now());
    assert.deepEqual(
      list.map((d) => d.kind),
      ['transactional', 'marketing'],
    );
  });

  it('skips the rows a concurrent claim holds, instead of waiting for its transaction to end', async function () {
    if (db.dialect !== 'postgres') this.skip(); // SQLite has one writer; SQL Server's READPAST is pinned by its snapshot
    await seed(10);
    const at = now();
    const bind = { delivery: deliveryId, owner: 'mta-a', now: at.toISOString(), until: new Date(at.getTime() + 600_000).toISOString(), limit: 4 };
    const held = await db.sequelize.transaction();
    try {
      const first = await db.sequelize.query(claimSql('postgres'), { bind, transaction: held, type: QueryTypes.SELECT });
      assert.equal(first.length, 4, 'the first claim holds 4 rows, uncommitted');
      const second = await Promise.race([lease('mta-b', 10, at), sleep(5_000).then(() => 'blocked' as const)]);
      assert.notEqual(second, 'blocked', 'the second claim does not wait for the first one');
      assert.equal((second as unknown[]).length, 6, 'it takes the 6 rows nobody holds');
    } finally {
      await held.rollback();
    }
    assert.equal((await lease('mta-c', 10)).length, 4, 'the rolled-back claim left its rows due');
  });

  it('never hands the same message to two MTA processes racing on one database', async function () {
    if (db.dialect === 'mssql') this.skip();
    this.timeout(60_000);
    await seed(300);
    const worker = (owner: string) =>
      new Promise<number[]>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import=tsx', join(APP_ROOT, 'test/fixtures/claim-worker.ts'), owner, String(deliveryId)], {
          env: instance.env,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (err += d));
        child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as number[]) : reject(new Error(err))));
      });
    const [a, b, c] = await Promise.all([worker('a'), worker('b'), worker('c')]);
    const all = [...a!, ...b!, ...c!];
    assert.equal(all.length, 300, 'every message claimed');
    assert.equal(new Set(all).size, 300, 'no message claimed twice');
  });

  it("makes a domain's pushed-back messages due again whatever the case of their addresses", async () => {
    const later = new Date(Date.now() + 3_600_000);
    await seed(1, { address: 'Ann@Blocked.Example', nextAttemptAt: later });
    await seed(1, { address: 'bob@blocked.example', nextAttemptAt: later });
    await seed(1, { address: 'eve@other.example', nextAttemptAt: later });
    const at = now();
    assert.equal(await rescheduleDomain(db, 'BLOCKED.example', at), 2);
    const due = await db.models.BroadLog.findAll({ where: { nextAttemptAt: { [Op.lte]: at } }, order: [['id', 'ASC']] });
    assert.deepEqual(
      due.map((r) => r.address),
      ['Ann@Blocked.Example', 'bob@blocked.example'],
    );
  });
});

describe('MTA queue on PostgreSQL (its claim statement)', () => {
  it('claims with FOR UPDATE SKIP LOCKED and returns the claimed rows, new messages first', () => {
    const sql = claimSql('postgres');
    assert.match(sql, /FOR UPDATE SKIP LOCKED\)/);
    assert.match(sql, /ORDER BY next_attempt_at NULLS FIRST, id/);
    assert.match(sql, /RETURNING id, delivery_id/);
    matchSnapshot('mta-claim', sql + '\n', 'postgres');
  });
});

describe('MTA queue on SQL Server (generated T-SQL)', () => {
  it('claims with row locks that skip locked rows and returns the claimed rows (OUTPUT)', async () => {
    const capture = captureMssql();
    try {
      const at = new Date('2026-01-02T03:04:05.000Z');
      await claimDue(capture.db, { deliveryId: 42, owner: 'mta-a', now: at, until: new Date(at.getTime() + 900_000), limit: 500 });
      const sql = capture.take();
      assert.match(sql, /WITH \(UPDLOCK, READPAST, ROWLOCK\)/);
      assert.match(sql, /TOP \(@limit\)/);
      assert.match(sql, /OUTPUT inserted\.id/);
      assert.match(sql, /"now":"2026-01-02T03:04:05\.000Z"/, 'dates are bound as ISO 8601, which SQL Server converts to DATETIMEOFFSET');
      matchSnapshot('mta-claim', sql);
    } finally {
      capture.restore();
    }
  });
});
