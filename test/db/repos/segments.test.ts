import assert from 'node:assert/strict';
import type { Database } from '../../../server/db/connect.js';
import type { Condition } from '../../../server/db/filters/recipient-condition.js';
import { backfillCustomFields } from '../../../server/db/migrations/031-audiences.js';
import { customFieldNames } from '../../../server/db/repos/custom-fields.js';
import { upsertRecipients } from '../../../server/db/repos/recipients.js';
import { countMatching, expandSegments, matchingIdsAfter, saveSegment } from '../../../server/db/repos/segments.js';
import { queryRecipientIds } from '../../../server/db/repos/workflow-population.js';
import { createInstance, openTestDb, type TestInstance } from '../../helpers/instance.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const audit = { at: NOW, operatorId: null, operatorLogin: 'test', action: 'segment_created' as const };

/** Saved segments on a real SQLite file: expansion (nested, unknown, cycles), counts, keyset pages, workflow queries. */
describe('saved segments', () => {
  let instance: TestInstance;
  let db: Database;

  before(async () => {
    instance = createInstance();
    db = await openTestDb(instance);
    await upsertRecipients(
      db,
      [
        { email: 'ann@example.com', firstName: 'Ann', fields: { city: 'Paris', plan: 'gold' } },
        { email: 'bob@example.com', firstName: 'Bob', fields: { city: 'Lyon' } },
        { email: 'cat@example.com', firstName: 'Cat', fields: { city: 'Paris' } },
        { email: 'dan@other.example', firstName: 'Dan' },
      ],
      new Set(['email', 'firstName']),
    );
    await saveSegment(db, { name: 'parisians', label: 'Parisians', description: null, condition: { field: 'fields.city', op: 'eq', value: 'Paris' } }, audit);
    await saveSegment(
      db,
      {
        name: 'gold-parisians',
        label: 'Gold Parisians',
        description: null,
        condition: { all: [{ inSegment: 'parisians' }, { field: 'fields.plan', op: 'eq', value: 'gold' }] },
      },
      audit,
    );
    await saveSegment(db, { name: 'ours', label: 'Our domain', description: null, condition: { field: 'domain', op: 'eq', value: 'example.com' } }, audit);
    await saveSegment(db, { name: 'loop-a', label: 'A', description: null, condition: { inSegment: 'loop-b' } }, audit);
    await saveSegment(db, { name: 'loop-b', label: 'B', description: null, condition: { not: { inSegment: 'loop-a' } } }, audit);
  });
  after(async () => {
    await db?.close();
    instance?.cleanup();
  });

  const CASES: Array<{ case: string; where: Condition; count: number }> = [
    { case: 'a segment', where: { inSegment: 'parisians' }, count: 2 },
    { case: 'a segment built on another', where: { inSegment: 'gold-parisians' }, count: 1 },
    { case: 'the opposite of a segment', where: { not: { inSegment: 'ours' } }, count: 1 },
    {
      case: 'a segment among other conditions',
      where: { any: [{ inSegment: 'gold-parisians' }, { field: 'domain', op: 'eq', value: 'other.example' }] },
      count: 2,
    },
  ];
  for (const c of CASES)
    it(`counts the recipients matching ${c.case}`, async () => {
      assert.equal(await countMatching(db, c.where, NOW), c.count);
      assert.equal((await queryRecipientIds(db, { where: c.where, now: NOW })).length, c.count, 'a workflow query selects the same recipients');
    });

  it('replaces segment names by their conditions, nested ones too', async () => {
    assert.deepEqual(await expandSegments(db, { inSegment: 'gold-parisians' }), {
      all: [
        { field: 'fields.city', op: 'eq', value: 'Paris' },
        { field: 'fields.plan', op: 'eq', value: 'gold' },
      ],
    });
  });

  const REFUSED: Array<{ case: string; where: Condition; message: RegExp }> = [
    { case: 'an unknown segment', where: { inSegment: 'nobody' }, message: /no segment named "nobody"/ },
    { case: 'segments that include each other', where: { inSegment: 'loop-a' }, message: /includes itself \(loop-a → loop-b → loop-a\)/ },
  ];
  for (const c of REFUSED)
    it(`refuses ${c.case}, naming it`, async () => {
      await assert.rejects(countMatching(db, c.where, NOW), c.message);
    });

  it('finds a cycle in a segment before it is saved', async () => {
    await assert.rejects(countMatching(db, { inSegment: 'parisians' }, NOW, { parisians: { inSegment: 'gold-parisians' } }), /includes itself/);
  });

  it('pages through a selection in id order after a given id', async () => {
    const all = await matchingIdsAfter(db, { field: 'email', op: 'endsWith', value: '@example.com' }, 0, 2, NOW);
    assert.equal(all.length, 2);
    const rest = await matchingIdsAfter(db, { field: 'email', op: 'endsWith', value: '@example.com' }, all[1]!, 2, NOW);
    assert.equal(rest.length, 1);
    assert.ok(rest[0]! > all[1]!);
  });

  it('knows the custom fields recipients have, for the filter picker', async () => {
    assert.deepEqual(await customFieldNames(db), ['city', 'plan']);
  });
});

describe('migration 031: custom fields recipients already had', () => {
  it('registers every valid custom field name found in the recipients, page by page', async () => {
    const instance = createInstance();
    const db = await openTestDb(instance);
    try {
      const now = new Date();
      const rows = Array.from({ length: 2500 }, (_, i) => ({
        email: `r${i}@example.com`,
        email_format: 'html',
        denylisted: false,
        denylisted_email: false,
        fields: i === 2400 ? '{"late_field":"x","Bad Name":"y"}' : i % 2 ? '{"city":"Paris"}' : i === 10 ? 'not json' : null,
        created_at: now,
        updated_at: now,
      }));
      await db.write((transaction) => db.sequelize.getQueryInterface().bulkInsert('recipients', rows, { transaction }));
      await backfillCustomFields(db.sequelize.getQueryInterface());
      assert.deepEqual(await customFieldNames(db), ['city', 'late_field']);
    } finally {
      await db.close();
      instance.cleanup();
    }
  });
});
