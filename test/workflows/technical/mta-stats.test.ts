import assert from 'node:assert/strict';
import type { Database } from '../../../server/db/connect.js';
import { planStatMerges } from '../../../server/workflows/technical/mta-stats.js';
import { createInstance, openTestDb, type TestInstance } from '../../helpers/instance.js';
import { at, testEngine } from '../helpers.js';

const NOW = new Date('2026-06-10T10:00:00Z');
const slot = (domain: string, iso: string, sent: number, softErrors = 0, lastResponse: string | null = null) => ({
  domain,
  slotStart: at(iso),
  sent,
  messages: sent + softErrors,
  softErrors,
  lastResponse,
  updatedAt: at(iso),
});

describe('SMTP statistics workflow', () => {
  let instance: TestInstance;
  let db: Database;
  before(async () => {
    instance = createInstance();
    db = await openTestDb(instance);
  });
  after(async () => {
    await db.close();
    instance.cleanup();
  });

  it('plans nothing for a day already merged into its 00:00 row', () => {
    const row = {
      id: 1,
      domain: 'a.example',
      slotStart: at('2026-06-01T00:00:00Z'),
      lastResponse: null,
      connections: 1,
      messages: 1,
      sent: 1,
      softErrors: 0,
      hardErrors: 0,
      timeouts: 0,
      refusedConnections: 0,
      firstAttempts: 1,
      firstAttemptErrors: 0,
      recovered: 0,
    };
    assert.deepEqual(planStatMerges([row]), []);
  });

  it('merges the slots of days that ended over a day ago into one row per domain and day, and leaves recent slots alone', async () => {
    await db.write((transaction) =>
      db.models.SmtpStat.bulkCreate(
        [
          slot('gmail.com', '2026-06-07T08:05:00Z', 10, 1, '421 try later'),
          slot('gmail.com', '2026-06-07T08:10:00Z', 20),
          slot('gmail.com', '2026-06-07T23:55:00Z', 5, 2, '452 mailbox full'),
          slot('gmail.com', '2026-06-08T00:00:00Z', 7),
          slot('yahoo.com', '2026-06-07T12:00:00Z', 3),
          slot('gmail.com', '2026-06-08T13:00:00Z', 4),
          slot('gmail.com', '2026-06-09T09:00:00Z', 9),
          slot('gmail.com', '2026-06-10T09:00:00Z', 9),
        ] as never[],
        { transaction },
      ),
    );
    const engine = testEngine(instance, db, { now: () => NOW });
    await engine.syncTechnical();
    const outcome = await engine.runNow('mtaStats');
    assert.deepEqual(outcome.kind === 'ran' && outcome.counts, { domainDays: 3, mergedSlots: 6 });
    const rows = (
      await db.models.SmtpStat.findAll({
        order: [
          ['domain', 'ASC'],
          ['slotStart', 'ASC'],
        ],
      })
    ).map((r) => [r.domain, r.slotStart.toISOString().slice(0, 16), r.sent, r.softErrors, r.messages, r.lastResponse]);
    assert.deepEqual(rows, [
      ['gmail.com', '2026-06-07T00:00', 35, 3, 38, '452 mailbox full'],
      ['gmail.com', '2026-06-08T00:00', 11, 0, 11, null],
      ['gmail.com', '2026-06-09T09:00', 9, 0, 9, null],
      ['gmail.com', '2026-06-10T09:00', 9, 0, 9, null],
      ['yahoo.com', '2026-06-07T00:00', 3, 0, 3, null],
    ]);
    await engine.runNow('mtaStats');
    assert.equal(await db.models.SmtpStat.count(), 5, 'a second run changes nothing');
  });
});
