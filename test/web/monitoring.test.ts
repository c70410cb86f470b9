import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname, join } from 'node:path';
import { activeBlocks, blockKey } from '../../server/db/repos/mta-throttle.js';
import type { Delivery } from '../../server/db/models/index.js';
import { controlToken, runFiles, type WatchdogStatus } from '../../server/shared/watchdog-client.js';
import { addOperator, ConsoleClient, startConsole, type ConsoleHarness } from './helpers/console.js';

const NOW = new Date('2026-04-01T10:00:00Z');

/** A watchdog control port that answers the status of two modules (what `herald watchdog` serves). */
function fakeWatchdog(token: string): Promise<Server> {
  const status: WatchdogStatus = {
    pid: 4242,
    startedAt: '2026-04-01T08:00:00.000Z',
    uptimeMs: 7_200_000,
    stopping: false,
    modules: [
      {
        module: 'web',
        state: 'ready',
        autoStart: true,
        runLevel: 20,
        pid: 4301,
        uptimeMs: 7_000_000,
        restarts: 0,
        rssBytes: 90 * 1048576,
        memory: 'ok',
        lastExit: null,
        nextStartInMs: null,
        details: null,
      },
      {
        module: 'mta',
        state: 'crash-looping',
        autoStart: true,
        runLevel: 30,
        pid: null,
        uptimeMs: null,
        restarts: 12,
        rssBytes: null,
        memory: 'ok',
        lastExit: { code: 1, signal: null, at: '2026-04-01T09:59:00.000Z', reason: 'exited with code 1' },
        nextStartInMs: 30_000,
        details: null,
      },
    ],
  };
  const server = createServer((req, res) => {
    const ok = req.headers.authorization === `Bearer ${token}` && req.url === '/status';
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' }).end(ok ? JSON.stringify(status) : '{}');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('console monitoring and workflows', function () {
  this.timeout(60_000);
  let h: ConsoleHarness;
  let admin: ConsoleClient;
  let bounceId: number;
  let workflowId: number;

  let orders: Delivery;
  before(async () => {
    h = await startConsole();
    h.clock.now = NOW;
    const op = await addOperator(h.db, 'root', ['admin']);
    admin = new ConsoleClient(h.base);
    await admin.login(op.login, op.password);
    await h.db.write(async (transaction) => {
      const running = await h.db.models.Delivery.create(
        { internalName: 'running', label: 'Running one', state: 'in_progress', toDeliver: 5, processed: 2 },
        { transaction },
      );
      await h.db.models.Delivery.create({ internalName: 'broken', label: 'Broken one', state: 'failed', lastError: 'database went away' }, { transaction });
      // A transactional delivery: no target count (toDeliver stays 0), messages arrive with events.
      orders = await h.db.models.Delivery.create(
        {
          internalName: 'order-confirmed-2026-05-v1',
          label: 'Order confirmed (2026-05)',
          kind: 'transactional',
          state: 'in_progress',
          toDeliver: 0,
          processed: 3,
        },
        { transaction },
      );
      await h.db.models.BroadLog.bulkCreate(
        ['sent', 'sent', 'sent', 'pending', 'pending'].map((status) => ({
          deliveryId: orders.id,
          address: 'buyer@example.com',
          emailFormat: 'html' as const,
          status: status as 'sent' | 'pending',
          nextAttemptAt: null,
        })),
        { transaction },
      );
      const row = (status: 'pending' | 'sent', nextAttemptAt: Date | null) => ({
        deliveryId: running.id,
        address: 'a@example.com',
        emailFormat: 'html' as const,
        status,
        nextAttemptAt,
      });
      await h.db.models.BroadLog.bulkCreate(
        [
          row('sent', null),
          row('sent', null),
          row('pending', null),
          row('pending', new Date(NOW.getTime() - 1000)),
          row('pending', new Date(NOW.getTime() + 3_600_000)),
        ],
        { transaction },
      );
      bounceId = (
        await h.db.models.BounceText.create(
          {
            textHash: 'a1',
            text: '550 #xxx# mailbox unavailable',
            firstText: '550 5.1.1 <x> mailbox unavailable',
            failureType: 'soft',
            failureReason: 'not_defined',
            status: 'to_qualify',
            occurrences: 37,
          },
          { transaction },
        )
      ).id;
      await h.db.models.BounceText.create(
        {
          textHash: 'a2',
          text: '452 too many recipients',
          firstText: '452 too many recipients',
          failureType: 'soft',
          failureReason: 'not_defined',
          status: 'to_qualify',
          occurrences: 3,
        },
        { transaction },
      );
      await h.db.models.InboundMessage.create(
        {
          receivedAt: NOW,
          mailFrom: 'mailer-daemon@mx.example',
          rcptTo: 'bounce+zzz@bounce.example',
          subject: 'Undelivered <b>Mail</b>',
          kind: 'dsn',
          status: 'unmatched',
          reason: 'no VERP token',
          spoolFile: 'x.eml',
          size: 900,
          createdAt: NOW,
        },
        { transaction },
      );
      await h.db.models.InmailMailbox.bulkCreate(
        [
          { name: 'bounces', protocol: 'imap', messages: 1234, unrecognised: 5, lastPollAt: NOW, updatedAt: NOW },
          { name: 'fbl', protocol: 'pop3', messages: 0, unrecognised: 0, lastError: 'POP3 <b>login</b> refused', lastErrorAt: NOW, updatedAt: NOW },
        ],
        { transaction },
      );
      const wf = await h.db.models.Workflow.create(
        { name: 'cleanup', label: 'Database cleanup', kind: 'technical', state: 'started', schedule: '0 4 * * *' },
        { transaction },
      );
      workflowId = wf.id;
      await h.db.models.WorkflowRun.bulkCreate(
        [
          {
            workflowId: wf.id,
            trigger: 'schedule',
            status: 'succeeded',
            startedAt: new Date(NOW.getTime() - 7_200_000),
            durationMs: 120,
            counts: { broadLogs: 12 },
          },
          {
            workflowId: wf.id,
            trigger: 'schedule',
            status: 'failed',
            startedAt: new Date(NOW.getTime() - 3_600_000),
            durationMs: 80,
            error: 'SQLITE_BUSY: database is locked',
          },
        ],
        { transaction },
      );
    });
  });
  after(async () => h.close());

  it('says when the watchdog is not running, and shows its modules when it is', async () => {
    const files = runFiles(h.instance.config, h.instance.paths);
    mkdirSync(dirname(files.portFile), { recursive: true });
    writeFileSync(files.portFile, '1\n'); // nothing listens on port 1
    assert.match((await admin.get('/monitoring')).text, /The watchdog is not running/);
    const watchdog = await fakeWatchdog(controlToken(h.instance.config));
    try {
      writeFileSync(files.portFile, `${(watchdog.address() as { port: number }).port}\n`);
      const page = (await admin.get('/monitoring')).text;
      assert.match(page, /Watchdog process 4242/);
      assert.match(page, /badge module-crash-looping">crash-looping/);
      assert.match(page, /exited with code 1/);
    } finally {
      watchdog.close();
      rmSync(files.portFile, { force: true });
    }
  });

  it('shows the queue of running deliveries, workflow runs and recent errors', async () => {
    const page = (await admin.get('/monitoring')).text;
    assert.match(page, /Running one<\/a><\/td><td>[\s\S]*?<td class="num">2 of 5<\/td><td class="num">2<\/td><td class="num">1<\/td>/);
    assert.match(
      page,
      /Order confirmed \(2026-05\)<\/a> <span class="badge">transactional<\/span><\/td><td>[\s\S]*?<td class="num">3 of 5 received so far<\/td><td class="num">2<\/td><td class="num">0<\/td>/,
      'a transactional delivery reads as what it received so far, not "3 / 0"',
    );
    const dashboard = (await admin.get(`/deliveries/${orders.id}/dashboard`)).text;
    assert.match(dashboard, /no fixed target/);
    assert.match(dashboard, /<dt>Messages received<\/dt><dd data-field="toDeliver">5<\/dd>/);
    assert.match(dashboard, /<dt>Pending<\/dt><dd data-field="pending">2<\/dd>/);
    assert.match(dashboard, /<progress max="100" value="60"/);
    assert.match(page, /SQLITE_BUSY: database is locked/);
    assert.match(page, /database went away/);
    assert.match(page, /550 #xxx# mailbox unavailable/);
    assert.match(page, /Undelivered &lt;b&gt;Mail&lt;\/b&gt;/, 'subjects of inbound mail are escaped');
  });

  it('shows the blocked domains and lifts one with a CSRF-protected, audited button (start_deliveries right)', async () => {
    await blockKey(h.db, 'domain:blocked.example', NOW.getTime() + 3 * 3_600_000, '97% of 412 messages refused in the last hour', NOW);
    const viewerOp = await addOperator(h.db, 'watcher', ['view_reports']);
    const viewer = new ConsoleClient(h.base);
    await viewer.login(viewerOp.login, viewerOp.password);
    const seen = (await viewer.get('/monitoring')).text;
    assert.match(seen, /<td>blocked\.example<\/td>[\s\S]*?97% of 412 messages refused in the last hour/);
    assert.doesNotMatch(seen, /action="\/monitoring\/blocks"/, 'no unblock button without the right');
    assert.equal((await viewer.post('/monitoring/blocks', { domain: 'blocked.example' })).status, 403);

    const page = (await admin.get('/monitoring')).text;
    assert.match(page, /<form method="post" action="\/monitoring\/blocks"[\s\S]*?name="domain" value="blocked\.example"/);
    assert.equal((await admin.post('/monitoring/blocks', { domain: 'blocked.example', _csrf: 'forged' })).status, 403, 'a forged CSRF token is refused');
    assert.equal((await activeBlocks(h.db, NOW)).size, 1);
    const lifted = await admin.post('/monitoring/blocks', { domain: 'blocked.example' });
    assert.equal(lifted.status, 303);
    assert.equal(lifted.location, '/monitoring?notice=unblocked');
    assert.equal((await activeBlocks(h.db, NOW)).size, 0);
    assert.doesNotMatch((await admin.get('/monitoring')).text, /<td>blocked\.example<\/td>/);
    const audit = await h.db.models.AuditEntry.findOne({ where: { action: 'domain_unblocked' } });
    assert.deepEqual([audit?.operatorLogin, audit?.targetType, audit?.targetId], ['root', 'domain', 'blocked.example']);
    assert.equal((await admin.post('/monitoring/blocks', { domain: 'blocked.example' })).status, 404, 'a domain that is not blocked');
  });

  it('shows each bounce mailbox with its counters and last error', async () => {
    const page = (await admin.get('/monitoring')).text;
    assert.match(page, /Bounce mailboxes/);
    assert.match(page, /<td>bounces<\/td><td>IMAP<\/td><td class="num">1,234<\/td><td class="num">5<\/td>/);
    assert.match(
      page,
      /<td>fbl<\/td><td>POP3<\/td><td class="num">0<\/td>[\s\S]*?class="error"[\s\S]*?POP3 &lt;b&gt;login&lt;\/b&gt; refused/,
      'the error is shown, escaped',
    );
  });

  it('qualifies a bounce text (admin only, audited) and lists texts most frequent first', async () => {
    const list = (await admin.get('/monitoring/bounce-texts')).text;
    assert.ok(list.indexOf('mailbox unavailable') < list.indexOf('too many recipients'));
    const viewerOp = await addOperator(h.db, 'viewer', ['view_reports']);
    const viewer = new ConsoleClient(h.base);
    await viewer.login(viewerOp.login, viewerOp.password);
    assert.doesNotMatch((await viewer.get('/monitoring/bounce-texts')).text, /action="\/monitoring\/bounce-texts\/\d+"/, 'no qualification form without admin');
    assert.equal(
      (await viewer.post(`/monitoring/bounce-texts/${bounceId}`, { status: 'keep', failureType: 'hard', failureReason: 'user_unknown' })).status,
      403,
    );
    assert.equal(
      (await admin.post(`/monitoring/bounce-texts/${bounceId}`, { status: 'keep', failureType: 'nope', failureReason: 'user_unknown' })).status,
      400,
    );
    const reply = await admin.post(`/monitoring/bounce-texts/${bounceId}`, { status: 'keep', failureType: 'hard', failureReason: 'user_unknown' });
    assert.equal(reply.status, 303);
    const text = (await h.db.models.BounceText.findByPk(bounceId))!;
    assert.deepEqual([text.status, text.failureType, text.failureReason], ['keep', 'hard', 'user_unknown']);
    assert.equal(await h.db.models.AuditEntry.count({ where: { action: 'bounce_text_qualified', targetId: String(bounceId) } }), 1);
    assert.match((await admin.get('/monitoring/bounce-texts?status=keep')).text, /mailbox unavailable/);
    const rule = (await h.db.models.BounceRule.findOne({ where: { bounceTextId: bounceId } }))!;
    assert.deepEqual(
      [rule.normalizedText, rule.sample, rule.failureType, rule.failureReason],
      ['550 #xxx# mailbox unavailable', '550 5.1.1 <x> mailbox unavailable', 'hard', 'user_unknown'],
    );
    assert.equal(text.rule, `qualified.${rule.id}`, 'the qualification became a rule with its sample');
  });

  it('shows a message kept for review, escaped, with how Herald reads it, and turns a qualification of one of its texts into a rule', async () => {
    const spool = join(h.instance.paths.dataDir, h.instance.config.inmail.spoolDir, 'kept');
    mkdirSync(spool, { recursive: true });
    writeFileSync(
      join(spool, 'review-1.eml'),
      [
        'From: MAILER-DAEMON@mx.example.org',
        'To: bounces@bounce.example.com',
        'Subject: Undelivered Mail Returned to Sender',
        '',
        'This is the mail system at host mx.example.org.',
        '',
        '<carol@example.net>: host mx.example.net[192.0.2.1] said: 554 The wombat <script>alert(1)</script> said no (ref 77)',
        '',
      ].join('\r\n'),
    );
    const kept = await h.db.write((transaction) =>
      h.db.models.InboundMessage.create(
        {
          receivedAt: NOW,
          mailFrom: '',
          rcptTo: 'bounces@bounce.example.com',
          subject: 'Undelivered',
          kind: 'dsn',
          status: 'unmatched',
          reason: 'no VERP token',
          spoolFile: 'kept/review-1.eml',
          size: 300,
          createdAt: NOW,
        },
        { transaction },
      ),
    );
    const page = (await admin.get(`/monitoring/inbound/${kept.id}`)).text;
    assert.match(page, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/, 'the raw message is escaped');
    assert.doesNotMatch(page, /<script>alert/);
    assert.match(page, /Written by: <strong>postfix<\/strong>/);
    assert.match(page, /carol@example\.net[\s\S]*?<code class="small">default<\/code>/, 'no rule knows this text yet');
    assert.match((await admin.get('/monitoring/inbound')).text, new RegExp(`href="/monitoring/inbound/${kept.id}"`));

    const viewerOp = await addOperator(h.db, 'viewer2', ['view_reports']);
    const viewer = new ConsoleClient(h.base);
    await viewer.login(viewerOp.login, viewerOp.password);
    assert.doesNotMatch((await viewer.get(`/monitoring/inbound/${kept.id}`)).text, /\/review"/, 'no review form without admin');
    assert.equal((await viewer.post(`/monitoring/inbound/${kept.id}/review`, {})).status, 403);
    assert.equal(
      (await admin.post(`/monitoring/inbound/${kept.id}/review`, { recipient: '7', status: 'keep', failureType: 'soft', failureReason: 'refused' })).status,
      400,
    );

    const reply = await admin.post(`/monitoring/inbound/${kept.id}/review`, { recipient: '0', status: 'keep', failureType: 'soft', failureReason: 'refused' });
    assert.equal(reply.status, 303);
    assert.equal((await h.db.models.InboundMessage.findByPk(kept.id))!.status, 'reviewed');
    const rule = (await h.db.models.BounceRule.findOne({ where: { bounceTextId: null } }))!;
    assert.equal(rule.normalizedText, '*: host mx.example.net[#xxx#] said: #xxx# The wombat <script>alert(#xxx#)</script> said no (ref #xxx#)');
    assert.match(rule.sample, /^<carol@example\.net>: host mx\.example\.net\[192\.0\.2\.1\] said: 554 The wombat/);
    assert.equal(
      await h.db.models.AuditEntry.count({ where: { action: 'bounce_text_qualified', targetType: 'inbound_message', targetId: String(kept.id) } }),
      1,
    );
    assert.match(
      (await admin.get(`/monitoring/inbound/${kept.id}`)).text,
      new RegExp(`soft · refused <code class="small">qualified\\.${rule.id}</code>`),
      'the page now reads the text with the new rule',
    );
    assert.match((await admin.get('/monitoring/inbound?status=reviewed')).text, /no VERP token/);
  });

  it('lists the rules qualifications made, newest first, with their samples escaped, to every operator who sees monitoring', async () => {
    const viewerOp = await addOperator(h.db, 'viewer3', ['view_reports']);
    const viewer = new ConsoleClient(h.base);
    await viewer.login(viewerOp.login, viewerOp.password);
    const page = (await viewer.get('/monitoring/bounce-rules')).text;
    const rules = await h.db.models.BounceRule.findAll({ order: [['id', 'DESC']] });
    assert.equal(rules.length, 2, 'one from the bounce texts, one from the inbound message');
    const at = rules.map((r) => page.indexOf(`<code class="small">qualified.${r.id}</code>`));
    assert.ok(at.every((i) => i > 0) && at[0]! < at[1]!, 'newest first');
    assert.match(page, /soft · refused[\s\S]*?The wombat &lt;script&gt;alert\(#xxx#\)&lt;\/script&gt;[\s\S]*?mx\.example\.net\[192\.0\.2\.1\]/);
    assert.doesNotMatch(page, /<script>alert/);
    assert.match(page, /hard · user unknown[\s\S]*?550 #xxx# mailbox unavailable[\s\S]*?550 5\.1\.1 &lt;x&gt; mailbox unavailable/);
    assert.match((await admin.get('/monitoring/bounce-texts')).text, /href="\/monitoring\/bounce-rules"/);
  });

  it('lists inbound mail kept for review by status', async () => {
    assert.match((await admin.get('/monitoring/inbound')).text, /no VERP token/);
    assert.doesNotMatch((await admin.get('/monitoring/inbound?status=forged')).text, /no VERP token/);
  });

  it('lists workflows with their journal, and pauses and starts one (audited)', async () => {
    assert.match((await admin.get('/workflows')).text, /Database cleanup/);
    const journal = (await admin.get(`/workflows/${workflowId}`)).text;
    assert.match(journal, /broadLogs=12/);
    assert.match(journal, /SQLITE_BUSY/);
    for (const [action, state] of [
      ['pause', 'paused'],
      ['start', 'started'],
    ] as const) {
      const reply = await admin.post(`/workflows/${workflowId}/${action}`);
      assert.equal(reply.status, 303, action);
      assert.equal((await h.db.models.Workflow.findByPk(workflowId))!.state, state);
    }
    const refused = await admin.post(`/workflows/${workflowId}/start`);
    assert.equal(refused.status, 409);
    assert.match(refused.text, /cannot start/);
    assert.equal(await h.db.models.AuditEntry.count({ where: { action: ['workflow_paused', 'workflow_started'] } }), 2);
  });
});
