import assert from 'node:assert/strict';
import type { Database } from '../../../server/db/connect.js';
import { conditionProblems, type Condition } from '../../../server/db/filters/recipient-condition.js';
import { queryRecipientIds } from '../../../server/db/repos/workflow-population.js';
import { createInstance, openTestDb, type TestInstance } from '../../helpers/instance.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000);

const PEOPLE = [
  { email: 'ann@example.com', firstName: 'Ann', emailFormat: 'html', createdAt: daysAgo(100), fields: { city: 'Paris' } as Record<string, string> },
  {
    email: 'bob@mail.example',
    firstName: 'Bob',
    emailFormat: 'text',
    createdAt: daysAgo(5),
    fields: { city: "L'Haÿ", plan: 'gold' } as Record<string, string>,
  },
  { email: 'cat_1@example.com', firstName: null, emailFormat: 'html', createdAt: daysAgo(1), denylisted: true },
  { email: 'dan%x@other.example', firstName: '', emailFormat: 'html', createdAt: daysAgo(50) },
  { email: 'erased@example.com', firstName: 'Eve', emailFormat: 'html', createdAt: daysAgo(3), erasedAt: daysAgo(1) },
  { email: "o'hara@example.com", firstName: "O'Hara", emailFormat: 'html', createdAt: daysAgo(2) },
];

const CASES: Array<{ case: string; where: Condition; emails: string[] }> = [
  { case: 'a field equal to a value', where: { field: 'emailFormat', op: 'eq', value: 'text' }, emails: ['bob'] },
  {
    case: 'a field different from a value (empty fields included)',
    where: { field: 'firstName', op: 'ne', value: 'Ann' },
    emails: ['bob', 'cat_1', 'dan%x', "o'hara"],
  },
  { case: 'a value in a list', where: { field: 'firstName', op: 'in', value: ['Ann', 'Bob'] }, emails: ['ann', 'bob'] },
  { case: 'an empty field', where: { field: 'firstName', op: 'isEmpty' }, emails: ['cat_1', 'dan%x'] },
  { case: 'a domain', where: { field: 'domain', op: 'eq', value: 'EXAMPLE.com' }, emails: ['ann', 'cat_1', "o'hara"] },
  { case: 'not in some domains', where: { field: 'domain', op: 'notIn', value: ['example.com', 'mail.example'] }, emails: ['dan%x'] },
  { case: 'a LIKE wildcard taken literally (%)', where: { field: 'email', op: 'contains', value: '%' }, emails: ['dan%x'] },
  { case: 'a LIKE wildcard taken literally (_)', where: { field: 'email', op: 'startsWith', value: 'cat_' }, emails: ['cat_1'] },
  { case: 'a part of a field, whatever its case', where: { field: 'firstName', op: 'contains', value: 'HAR' }, emails: ["o'hara"] },
  { case: 'a part of a custom field, whatever its case', where: { field: 'fields.city', op: 'startsWith', value: "l'h" }, emails: ['bob'] },
  { case: 'a quote in a value', where: { field: 'firstName', op: 'eq', value: "O'Hara" }, emails: ["o'hara"] },
  { case: 'a value holding SQL, kept a value', where: { field: 'email', op: 'eq', value: "x'; DROP TABLE recipients; --" }, emails: [] },
  { case: 'a boolean', where: { field: 'denylisted', op: 'eq', value: true }, emails: ['cat_1'] },
  { case: 'a relative date', where: { field: 'createdAt', op: 'gte', value: '-7d' }, emails: ['bob', 'cat_1', "o'hara"] },
  { case: 'an absolute date', where: { field: 'createdAt', op: 'lt', value: '2026-03-01' }, emails: ['ann'] },
  {
    case: 'all of several conditions',
    where: {
      all: [
        { field: 'emailFormat', op: 'eq', value: 'html' },
        { field: 'createdAt', op: 'gte', value: '-60d' },
      ],
    },
    emails: ['cat_1', 'dan%x', "o'hara"],
  },
  { case: 'any of several conditions', where: { any: [{ field: 'firstName', op: 'eq', value: 'Bob' }, { inList: 'vip' }] }, emails: ['ann', 'bob'] },
  { case: 'a negation', where: { not: { field: 'emailFormat', op: 'eq', value: 'html' } }, emails: ['bob'] },
  { case: 'an active subscription', where: { subscribed: 'news' }, emails: ['ann', 'bob'] },
  { case: 'a subscription since a moment', where: { subscribed: 'news', since: '-7d' }, emails: ['bob'] },
  { case: 'a list membership', where: { inList: 'vip' }, emails: ['ann'] },
  { case: 'a list whose name looks like SQL', where: { inList: "vip' OR '1'='1" }, emails: [] },
  { case: 'a custom field', where: { field: 'fields.city', op: 'eq', value: "L'Haÿ" }, emails: ['bob'] },
  {
    case: 'a custom field different from a value (missing ones included)',
    where: { field: 'fields.city', op: 'ne', value: 'Paris' },
    emails: ['bob', 'cat_1', 'dan%x', "o'hara"],
  },
  { case: 'a negated custom field', where: { not: { field: 'fields.plan', op: 'eq', value: 'gold' } }, emails: [] },
  { case: 'a missing custom field', where: { field: 'fields.plan', op: 'isEmpty' }, emails: ['ann', 'cat_1', 'dan%x', "o'hara"] },
  { case: 'a custom field containing a LIKE wildcard literally', where: { field: 'fields.city', op: 'contains', value: '%' }, emails: [] },
];

const INVALID: Array<{ case: string; where: unknown; problem: RegExp }> = [
  { case: 'an unknown field', where: { field: 'password', op: 'eq', value: 'x' }, problem: /where\.field: expected one of/ },
  { case: 'an operator the field does not take', where: { field: 'denylisted', op: 'contains', value: 'x' }, problem: /"denylisted" takes one of eq, ne/ },
  { case: 'a value of the wrong type', where: { field: 'denylisted', op: 'eq', value: 'yes' }, problem: /expected true or false/ },
  { case: 'a bad date', where: { field: 'createdAt', op: 'lt', value: 'yesterday' }, problem: /ISO date/ },
  { case: 'raw SQL', where: { sql: '1=1' }, problem: /expected one of all, any, not, field, subscribed, inList/ },
  { case: 'an empty "all"', where: { all: [] }, problem: /non-empty list/ },
  { case: 'too deep a nesting', where: { not: { not: { not: { not: { not: { not: { not: { not: { inList: 'x' } } } } } } } } }, problem: /nested more than 8/ },
  { case: 'an extra key', where: { field: 'email', op: 'eq', value: 'a', raw: true }, problem: /unknown key raw/ },
];

describe('recipient conditions', () => {
  let instance: TestInstance;
  let db: Database;
  const emailOf = new Map<number, string>();
  before(async () => {
    instance = createInstance();
    db = await openTestDb(instance);
    await db.write(async (transaction) => {
      for (const p of PEOPLE) {
        const r = await db.models.Recipient.create(
          { lastName: null, ...p, emailFormat: p.emailFormat as 'html', updatedAt: p.createdAt },
          { transaction, silent: true },
        );
        emailOf.set(r.id, p.email.split('@')[0]!);
      }
      const news = await db.models.Service.create({ name: 'news', label: 'News' }, { transaction });
      const ids = [...emailOf.keys()];
      await db.models.Subscription.bulkCreate(
        [
          { serviceId: news.id, recipientId: ids[0]!, status: 'active', confirmedAt: daysAgo(30), createdAt: daysAgo(30), updatedAt: NOW },
          { serviceId: news.id, recipientId: ids[1]!, status: 'active', confirmedAt: daysAgo(2), createdAt: daysAgo(3), updatedAt: NOW },
          { serviceId: news.id, recipientId: ids[2]!, status: 'unsubscribed', createdAt: daysAgo(2), updatedAt: NOW },
        ],
        { transaction },
      );
      const vip = await db.models.List.create({ name: 'vip', label: 'VIP', description: null, expiresAt: null }, { transaction });
      await db.models.ListMember.create({ listId: vip.id, recipientId: ids[0]! }, { transaction });
    });
  });
  after(async () => {
    await db.close();
    instance.cleanup();
  });

  for (const c of CASES) {
    it(`selects by ${c.case}`, async () => {
      assert.deepEqual(conditionProblems(c.where), []);
      const ids = await queryRecipientIds(db, { where: c.where, now: NOW });
      assert.deepEqual(ids.map((id) => emailOf.get(id)).sort(), [...c.emails].sort());
    });
  }

  it('never selects an erased recipient', async () => {
    const ids = await queryRecipientIds(db, { now: NOW });
    assert.ok(!ids.map((id) => emailOf.get(id)).includes('erased'));
    assert.equal(ids.length, PEOPLE.length - 1);
  });

  it('filters a given population, keeping its order', async () => {
    const all = [...emailOf.keys()].reverse();
    const ids = await queryRecipientIds(db, { where: { field: 'emailFormat', op: 'eq', value: 'html' }, now: NOW, within: all });
    assert.deepEqual(
      ids.map((id) => emailOf.get(id)),
      ["o'hara", 'dan%x', 'cat_1', 'ann'],
    );
  });

  for (const c of INVALID) {
    it(`refuses ${c.case}`, () => {
      const problems = conditionProblems(c.where);
      assert.ok(
        problems.some((p) => c.problem.test(p)),
        problems.join('; '),
      );
    });
  }
});
