import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Op } from 'sequelize';
import type { Database } from '../../server/db/connect.js';
import { createList } from '../../server/db/repos/lists.js';
import { upsertRecipients } from '../../server/db/repos/recipients.js';
import { saveSegment } from '../../server/db/repos/segments.js';
import { createService } from '../../server/db/repos/services.js';
import { silentLogger } from '../../server/shared/logger.js';
import { createBulkRunner } from '../../server/web/bulk/bulk-runner.js';
import { bulkTargetOf } from '../../server/web/bulk/recover.js';
import { addOperator, ConsoleClient, startConsole, type ConsoleHarness } from './helpers/console.js';

const audit = { at: new Date(), operatorId: null, operatorLogin: 'test' };

/** Until `check` holds (polling a background job), at most `seconds`. */
async function until(check: () => Promise<boolean>, seconds = 60): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(50);
  }
}

async function seedMany(db: Database, count: number, domain: string): Promise<void> {
  const now = new Date();
  const columns = Object.fromEntries(Object.values(db.models.Recipient.getAttributes()).map((a) => [a.field!, a]));
  for (let start = 0; start < count; start += 1000) {
    const rows = Array.from({ length: Math.min(1000, count - start) }, (_, k) => ({
      email: `p${start + k}@${domain}`,
      email_format: 'html',
      denylisted: false,
      denylisted_email: false,
      created_at: now,
      updated_at: now,
    }));
    await db.write((transaction) => db.sequelize.getQueryInterface().bulkInsert('recipients', rows, { transaction }, columns));
  }
}

/** Bulk actions on a filtered selection over HTTP: each action, its progress and audit, the rights, a 100,000-recipient job in the background. */
describe('console: bulk actions', function () {
  this.timeout(300_000);
  let h: ConsoleHarness;
  let c: ConsoleClient;
  let admin: ConsoleClient;
  let listId = 0;
  let serviceId = 0;

  before(async () => {
    h = await startConsole('[recipients]\nbulkBatchSize = 500\nbulkPauseMs = 5\n');
    await upsertRecipients(
      h.db,
      ['ann', 'bob', 'cat', 'dan'].map((n) => ({ email: `${n}@small.example`, fields: { tier: n === 'dan' ? 'b' : 'a' } })),
      new Set(['email']),
    );
    await upsertRecipients(h.db, [{ email: 'keep@other.example' }], new Set(['email']));
    listId = (await createList(h.db, { name: 'vip', label: 'VIP', description: null, expiresAt: null }, { ...audit, action: 'list_created' })).id;
    serviceId = (
      await createService(
        h.db,
        { name: 'news', label: 'News', description: null, doubleOptIn: false, validityDays: null },
        { ...audit, action: 'service_created' },
      )
    ).id;
    await saveSegment(
      h.db,
      { name: 'tier-a', label: 'Tier A', description: null, condition: { field: 'fields.tier', op: 'eq', value: 'a' } },
      { ...audit, action: 'segment_created' },
    );
    const op = await addOperator(h.db, 'clerk', ['import']);
    c = new ConsoleClient(h.base);
    await c.login(op.login, op.password);
    const root = await addOperator(h.db, 'root', ['admin']);
    admin = new ConsoleClient(h.base);
    await admin.login(root.login, root.password);
  });
  after(async () => h?.close());

  /** Starts a bulk action through the form and waits for its end; returns the job. */
  async function run(form: Record<string, string>) {
    await c.get('/audiences/bulk');
    const reply = await c.post('/audiences/bulk', { intent: 'start', ...form });
    assert.equal(reply.status, 303, reply.text.slice(0, 2000));
    const id = Number(/\/audiences\/bulk\/(\d+)$/.exec(reply.location!)![1]);
    await h.web.bulk.idle();
    return (await h.db.models.BulkAction.findByPk(id))!;
  }

  const small = { f0_field: 'domain', f0_op: 'eq', f0_value: 'small.example' };
  const ids = async (emails: string[]) => (await h.db.models.Recipient.findAll({ where: { email: emails } })).map((r) => r.id).sort();
  const CASES: Array<{ action: string; form: Record<string, string>; affected: number; check: () => Promise<void> }> = [
    {
      action: 'add to a list (a saved segment as the selection)',
      form: { action: 'addToList', segmentId: '1', listId: '' },
      affected: 3,
      check: async () => {
        const members = (await h.db.models.ListMember.findAll({ where: { listId } })).map((m) => m.recipientId).sort();
        assert.deepEqual(members, await ids(['ann@small.example', 'bob@small.example', 'cat@small.example']));
      },
    },
    {
      action: 'remove from a list',
      form: { action: 'removeFromList', ...small, f1_field: 'email', f1_op: 'eq', f1_value: 'ann@small.example', listId: '' },
      affected: 1,
      check: async () => assert.equal(await h.db.models.ListMember.count({ where: { listId } }), 2),
    },
    {
      action: 'subscribe to a service',
      form: { action: 'subscribe', ...small, serviceId: '' },
      affected: 4,
      check: async () => assert.equal(await h.db.models.Subscription.count({ where: { serviceId, status: 'active', origin: 'console' } }), 4),
    },
    {
      action: 'unsubscribe from a service',
      form: { action: 'unsubscribe', segmentId: '1', serviceId: '' },
      affected: 3,
      check: async () => assert.equal(await h.db.models.Subscription.count({ where: { serviceId, status: 'active' } }), 1),
    },
    {
      action: 'denylist',
      form: { action: 'denylist', ...small, f1_field: 'email', f1_op: 'startsWith', f1_value: 'b' },
      affected: 1,
      check: async () =>
        assert.deepEqual(
          (await h.db.models.Recipient.findAll({ where: { denylisted: true } })).map((r) => r.email),
          ['bob@small.example'],
        ),
    },
    {
      action: 'delete with GDPR erase',
      form: { action: 'erase', ...small, f1_field: 'email', f1_op: 'startsWith', f1_value: 'c', confirmErase: '1' },
      affected: 1,
      check: async () => {
        assert.equal(await h.db.models.Recipient.count({ where: { email: 'cat@small.example' } }), 0);
        assert.equal(await h.db.models.Recipient.count({ where: { erasedAt: { [Op.ne]: null } } }), 1);
        assert.equal(await h.db.models.AuditEntry.count({ where: { action: 'recipient_erased' } }), 1, 'each erase is audited as such');
      },
    },
  ];
  for (const t of CASES)
    it(`runs "${t.action}" in the background, with its progress and its start and end in the audit log`, async () => {
      const form = { ...t.form };
      if ('listId' in form) form.listId = String(listId);
      if ('serviceId' in form) form.serviceId = String(serviceId);
      const job = await run(form);
      assert.equal(job.status, 'finished');
      assert.equal(job.affected, t.affected);
      assert.equal(job.done, job.total);
      await t.check();
      const entries = await h.db.models.AuditEntry.findAll({ where: { targetType: 'bulk_action', targetId: String(job.id) }, order: [['id', 'ASC']] });
      assert.deepEqual(
        entries.map((e) => e.action),
        ['recipients_bulk_started', 'recipients_bulk_finished'],
      );
      assert.match(
        (await admin.get('/audit')).text,
        /The bulk action <a href="\/audiences\/bulk\/\d+">#\d+<\/a> \(\w+\) started by <a[^>]*>clerk<\/a> went through \d+ recipients, \d+ changed/,
      );
      assert.match((await c.get(`/audiences/bulk/${job.id}`)).text, /<strong>finished<\/strong>/);
    });

  it('refuses a form without an action, its list, or the erase confirmation, changing nothing', async () => {
    const REFUSED: Array<[Record<string, string>, RegExp]> = [
      [{ ...small }, /Choose an action\./],
      [{ action: 'addToList', ...small }, /Choose the list\./],
      [{ action: 'erase', ...small }, /Tick the box to confirm the erase\./],
      [{ action: 'denylist', f0_field: 'nope', f0_op: 'eq', f0_value: 'x' }, /expected one of/],
    ];
    const before = await h.db.models.BulkAction.count();
    for (const [form, message] of REFUSED) {
      await c.get('/audiences/bulk');
      const reply = await c.post('/audiences/bulk', { intent: 'start', ...form });
      assert.equal(reply.status, 400);
      assert.match(reply.text, message);
    }
    assert.equal(await h.db.models.BulkAction.count(), before);
  });

  it('needs the import right and the CSRF token', async () => {
    const op = await addOperator(h.db, 'reader', ['view_reports']);
    const reader = new ConsoleClient(h.base);
    await reader.login(op.login, op.password);
    assert.equal((await reader.get('/audiences/bulk')).status, 403);
    assert.equal((await reader.post('/audiences/bulk', { action: 'denylist', ...small })).status, 403);
    assert.equal((await c.post('/audiences/bulk', { _csrf: 'forged', action: 'denylist', ...small })).status, 403);
  });

  it('keeps the console answering while a 100,000-recipient bulk action runs, then finishes it', async () => {
    await seedMany(h.db, 100_000, 'bulk.example');
    await c.get('/audiences/bulk');
    const started = await c.post('/audiences/bulk', {
      intent: 'start',
      action: 'addToList',
      listId: String(listId),
      f0_field: 'domain',
      f0_op: 'eq',
      f0_value: 'bulk.example',
    });
    assert.equal(started.status, 303);
    const jobId = Number(/(\d+)$/.exec(started.location!)![1]);
    // Pages are answered while the job is still going: its row says running, part done, after each answer.
    let answeredWhileRunning = 0;
    for (const path of ['/recipients', `/audiences/bulk/${jobId}`, '/lists', '/audiences', '/']) {
      const reply = await c.get(path);
      assert.equal(reply.status, 200, path);
      const job = (await h.db.models.BulkAction.findByPk(jobId))!;
      if (job.status === 'running' && job.done < 100_000) answeredWhileRunning++;
    }
    assert.equal(answeredWhileRunning, 5, 'every page was answered before the job ended');
    const progress = (await c.get(`/audiences/bulk/${jobId}`)).text;
    assert.match(progress, /<progress max="100" value="\d+"/);
    assert.match(progress, /data-reload-after="2"/);
    await until(async () => (await h.db.models.BulkAction.findByPk(jobId))!.status !== 'running', 240);
    const job = (await h.db.models.BulkAction.findByPk(jobId))!;
    assert.deepEqual([job.status, job.total, job.done, job.affected], ['finished', 100_000, 100_000, 100_000]);
    assert.equal(await h.db.models.ListMember.count({ where: { listId } }), 100_002);
  });

  it('resumes a bulk action the web module stopped, from its last recipient, at the next start', async () => {
    await c.get('/audiences/bulk');
    const started = await c.post('/audiences/bulk', { intent: 'start', action: 'denylist', f0_field: 'domain', f0_op: 'eq', f0_value: 'bulk.example' });
    const jobId = Number(/(\d+)$/.exec(started.location!)![1]);
    await until(async () => (await h.db.models.BulkAction.findByPk(jobId))!.done > 0);
    await h.web.bulk.stop();
    const stopped = (await h.db.models.BulkAction.findByPk(jobId))!;
    assert.equal(stopped.status, 'interrupted');
    assert.ok(stopped.done < 100_000);
    const next = createBulkRunner({ db: h.db, log: silentLogger(), clock: () => new Date(), batchSize: 2000, pauseMs: 0 });
    assert.equal(await next.resumeUnfinished((job) => bulkTargetOf(h.db, job)), 1);
    await next.idle();
    const job = (await h.db.models.BulkAction.findByPk(jobId))!;
    assert.deepEqual([job.status, job.done], ['finished', 100_000]);
    assert.equal(job.affected, 100_000, 'no one counted twice');
    assert.equal(await h.db.models.Recipient.count({ where: { denylisted: false, email: { [Op.like]: '%@bulk.example' } } }), 0);
  });
});
