import assert from 'node:assert/strict';
import type { Database } from '../../../server/db/connect.js';
import type { TrackingUrlType } from '../../../server/shared/glossary.js';
import { trackingLogPage, type LogPosition } from '../../../server/db/repos/tracking-indicators.js';
import { consolidateDelivery } from '../../../server/tracking-data/ingest/consolidate.js';
import { createInstance, openTestDb, type TestInstance } from '../../helpers/instance.js';
import { seedDelivery, STANDARD_URLS, type SeededDelivery } from '../../helpers/tracking-seed.js';

const T0 = Date.parse('2026-03-02T10:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);

/**
 * Ten messages (m1…m10; m9 and m10 text-only; m10 failed) and their hits. Bot flags are given, as
 * ingestion would have set them.
 */
type SeedHit = [message: number, label: string, seconds: number, source: string | null, bot: string | null];
const HITS: SeedHit[] = [
  [1, 'open', 0, 'f:a', null],
  [1, 'open', 30, 'f:a', null], // the same message opened again within a minute: counted once
  [1, 'open', 120, 'f:a', null],
  [1, 'shop', 180, 'f:s1', null],
  [2, 'open', 60, 'f:b', null],
  [2, 'shop', 240, 'f:s2', null],
  [2, 'blog', 360, 'f:s3', null], // a second browser: a forward
  [3, 'shop', 300, 'f:s4', null], // a click without an open hit still means an open
  [4, 'open', 60, 'f:mpp', 'privacy_proxy'],
  [5, 'shop', 10, 'f:s5', 'link_burst'],
  [5, 'blog', 10, 'f:s5', 'link_burst'],
  [5, 'unsubscribe', 11, 'f:s5', 'link_burst'],
  [6, 'unsubscribe', 1200, 'f:s6', null],
  [6, 'mirror', 1260, 'f:s6', null],
  [9, 'blog', 420, 'f:s7', null],
];

const EXPECTED = {
  recipientOpens: 7, // m1 m2 m3 m4 m5 m6 m9
  humanOpens: 5, // without m4 (privacy proxy) and m5 (scanner)
  totalOpens: 4, // m1 ×2, m2, m4
  estimatedOpens: 9, // round(7 × 10 / (10 − 2))
  recipientClicks: 5, // m1 m2 m3 m5 m9
  humanClicks: 4,
  totalClicks: 7,
  personClicks: 6, // s1 s2 s3 s4 s5 s7
  estimatedForwards: 1, // 6 − 5
  optOuts: 2,
  mirrorViews: 1,
  rawReactivity: 5 / 7,
  estimatedReactivity: 5 / 9,
  clickThrough: 6 / 9, // 9 messages sent successfully
};

/** [url label, slot start (minutes after T0), hits, human hits] */
const EXPECTED_SLOTS: Array<[string, number, number, number]> = [
  ['open', 0, 4, 3], // m1 at 0 s and 120 s (30 s is a repeat), m2, m4 (privacy proxy)
  ['shop', 0, 3, 2],
  ['shop', 5, 1, 1],
  ['blog', 0, 1, 0],
  ['blog', 5, 2, 2],
  ['unsubscribe', 0, 1, 0],
  ['unsubscribe', 20, 1, 1],
  ['mirror', 20, 1, 1],
];

describe('tracking indicators (consolidation)', () => {
  let instance: TestInstance;
  let db: Database;
  let seeded: SeededDelivery;
  const now = new Date('2026-03-02T12:00:00Z');

  before(async () => {
    instance = createInstance();
    db = await openTestDb(instance);
    seeded = await seedDelivery(db, {
      urls: STANDARD_URLS,
      messages: [...Array(8).fill({ format: 'html' }), { format: 'text' }, { format: 'text', status: 'failed' }],
    });
    const type = (label: string) => STANDARD_URLS.find((u) => u.label === label)!.type as TrackingUrlType;
    await db.write((transaction) =>
      db.models.TrackingLog.bulkCreate(
        HITS.map(([m, label, seconds, source, bot], i) => ({
          hitId: `seed-${i}`,
          deliveryId: seeded.deliveryId,
          broadLogId: seeded.messages[m - 1]!,
          recipientId: null,
          urlId: seeded.urls[label]!,
          urlType: type(label),
          loggedAt: at(seconds),
          sourceId: source,
          bot,
          server: 'seed',
          createdAt: now,
        })),
        { transaction },
      ),
    );
  });
  after(async () => {
    await db.close();
    instance.cleanup();
  });

  it('computes every indicator with the formulas of the reference, raw and human', async () => {
    const computed = await consolidateDelivery(db, seeded.deliveryId, now, { openDedupSeconds: 60 });
    for (const [name, value] of Object.entries(EXPECTED))
      assert.ok(Math.abs(Number(computed[name as keyof typeof computed]) - value) < 1e-9, `${name}: ${computed[name as keyof typeof computed]} ≠ ${value}`);
    const stored = (await db.models.DeliveryIndicator.findByPk(seeded.deliveryId))!;
    for (const [name, value] of Object.entries(EXPECTED)) assert.ok(Math.abs(Number(stored[name as keyof typeof EXPECTED]) - value) < 1e-6, `stored ${name}`);
    assert.equal(stored.computedAt.toISOString(), now.toISOString());
  });

  it('counts link hits and counted opens per URL in 5-minute slots, raw and human', async () => {
    const label = Object.fromEntries(Object.entries(seeded.urls).map(([k, v]) => [v, k]));
    const slots = await db.models.TrackingStat.findAll({ where: { deliveryId: seeded.deliveryId } });
    const got = slots.map((s) => [label[s.urlId]!, (s.slotStart.getTime() - T0) / 60_000, s.clicks, s.humanClicks]);
    const order = (rows: unknown[][]) => rows.map((r) => JSON.stringify(r)).sort();
    assert.deepEqual(order(got), order(EXPECTED_SLOTS));
  });

  it('gives the same result when run again (recomputed from the logs, never added up)', async () => {
    const before = (await db.models.DeliveryIndicator.findByPk(seeded.deliveryId))!.toJSON();
    await consolidateDelivery(db, seeded.deliveryId, now, { openDedupSeconds: 60 });
    assert.deepEqual((await db.models.DeliveryIndicator.findByPk(seeded.deliveryId))!.toJSON(), before);
    assert.equal(await db.models.TrackingStat.count({ where: { deliveryId: seeded.deliveryId } }), EXPECTED_SLOTS.length);
  });

  it('reads the logs in (time, id) pages of any size, ties included, each row once', async () => {
    const ids: number[] = [];
    let after: LogPosition | undefined;
    for (;;) {
      const page = await trackingLogPage(db, seeded.deliveryId, after, 2);
      ids.push(...page.map((r) => r.id));
      if (page.length < 2) break;
      after = { loggedAt: page[1]!.loggedAt, id: page[1]!.id };
    }
    assert.equal(ids.length, HITS.length);
    assert.equal(new Set(ids).size, HITS.length);
  });

  it('counts every open when deduplication is off', async () => {
    const computed = await consolidateDelivery(db, seeded.deliveryId, now, { openDedupSeconds: 0 });
    assert.equal(computed.totalOpens, 5);
  });
});
