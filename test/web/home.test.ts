import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestDns, type TestDnsServer } from '../helpers/dns-server.js';
import { addOperator, ConsoleClient, startConsole, type ConsoleHarness } from './helpers/console.js';

const DAY = 86_400_000;

describe('console home: figures of the last deliveries and 30 days, queue and modules, setup checklist', function () {
  this.timeout(60_000);
  let h: ConsoleHarness;
  let dns: TestDnsServer;
  let admin: ConsoleClient;
  let keyDir: string;
  const ids: Record<string, number> = {};

  before(async () => {
    dns = await startTestDns({ 'bounce.shop.com': { MX: [{ priority: 10, exchange: 'mx.shop.com' }] }, 'shop.com': {} });
    keyDir = mkdtempSync(join(tmpdir(), 'herald-dkim-'));
    // The web module never reads a DKIM key: the checklist only looks whether the file is there.
    writeFileSync(join(keyDir, 'shop.com.pem'), 'not read by the web module\n');
    h = await startConsole(
      [
        '[mail]',
        'bounceDomain = "bounce.shop.com"',
        '[web]',
        `setupDnsServers = ["${dns.address}"]`,
        '[[delivery.dkim]]',
        'domain = "shop.com"',
        'selector = "herald"',
        'algorithm = "rsa-sha256"',
        `keyFile = ${JSON.stringify(join(keyDir, 'shop.com.pem'))}`,
      ].join('\n'),
    );
    const root = await addOperator(h.db, 'root', ['admin']);
    ids.oneTime = (await addOperator(h.db, 'admin', ['admin'], { mustChange: true })).id;
    await addOperator(h.db, 'clerk', ['import']);
    const now = h.clock.now.getTime();
    const delivery = async (name: string, daysAgo: number, counts: { processed: number; sent: number; failed: number }, kind = 'marketing') =>
      (
        await h.db.write((t) =>
          h.db.models.Delivery.create(
            {
              internalName: name,
              label: `Delivery ${name}`,
              kind: kind as 'marketing',
              state: 'finished',
              startedAt: new Date(now - daysAgo * DAY),
              ...counts,
            },
            { transaction: t },
          ),
        )
      ).id;
    ids.spring = await delivery('spring', 1, { processed: 100, sent: 90, failed: 10 });
    ids.summer = await delivery('summer', 3, { processed: 50, sent: 50, failed: 0 });
    ids.winter = await delivery('winter', 40, { processed: 10, sent: 10, failed: 0 });
    await delivery('spring-proof-1', 1, { processed: 2, sent: 2, failed: 0 }, 'proof');
    await h.db.write(async (t) => {
      await h.db.models.DeliveryIndicator.bulkCreate(
        [
          { deliveryId: ids.spring!, recipientOpens: 45, recipientClicks: 9, optOuts: 2, computedAt: new Date(now) },
          { deliveryId: ids.summer!, recipientOpens: 10, recipientClicks: 5, optOuts: 0, computedAt: new Date(now) },
        ],
        { transaction: t },
      );
      await h.db.models.Quarantine.create(
        { address: 'angry@example.net', domain: 'example.net', status: 'denylisted', deliveryId: ids.spring! },
        { transaction: t },
      );
    });
    admin = new ConsoleClient(h.base);
    await admin.login(root.login, root.password);
  });
  after(async () => {
    await h?.close();
    await dns?.close();
    rmSync(keyDir, { recursive: true, force: true });
  });

  const tiles = (html: string) =>
    Object.fromEntries(
      [...html.matchAll(/<a href="\/reports\/definitions#([^"]+)">([^<]+)<\/a><\/span>\s*<span class="value">([^<]*)<\/span>\s*<svg class="spark"/g)].map(
        (m) => [m[2], m[3]],
      ),
    );

  it("shows the last 30 days' figures over the deliveries started in them (proofs and older ones left out), each with its trend and definition", async () => {
    const html = (await admin.get('/')).text;
    assert.deepEqual(tiles(html), {
      Sent: '150',
      Delivered: '93.3 %',
      'Open rate': '39.3 %',
      'Click rate': '10.0 %',
      'Bounce rate': '6.7 %',
      'Complaint rate': '0.7 %',
      'Unsubscribe rate': '1.4 %',
    });
    assert.equal([...html.matchAll(/<svg class="spark"[^>]*role="img" aria-label="[^"]+ per day from \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d"/g)].length, 7);
    const definitions = (await admin.get('/reports/definitions')).text;
    for (const anchor of [...html.matchAll(/href="\/reports\/definitions#([^"]+)"/g)].map((m) => m[1]))
      assert.match(definitions, new RegExp(`<dt id="${anchor}">`), `#${anchor} is defined`);
  });

  it('lists the latest deliveries with their key rates, newest first', async () => {
    const html = (await admin.get('/')).text;
    const table = /id="recent-title"[\s\S]*?<\/table>/.exec(html)![0];
    const rows = [
      ...table.matchAll(/<tr><td><a href="\/reports\/deliveries\/(\d+)">[^<]+<\/a><\/td><td>[^<]+<\/td>((?:<td class="num">[^<]*<\/td>)+)<\/tr>/g),
    ].map((m) => [Number(m[1]), [...m[2]!.matchAll(/<td class="num">([^<]*)<\/td>/g)].map((c) => c[1])]);
    assert.deepEqual(rows, [
      [ids.spring, ['100', '90.0 %', '50.0 %', '10.0 %', '10.0 %', '2.2 %']],
      [ids.summer, ['50', '100.0 %', '20.0 %', '10.0 %', '0.0 %', '0.0 %']],
      [ids.winter, ['10', '100.0 %', '0.0 %', '0.0 %', '0.0 %', '0.0 %']],
    ]);
  });

  it('shows the queue and says when the watchdog is not running', async () => {
    const html = (await admin.get('/')).text;
    assert.match(html, /<a href="\/monitoring">0 running deliveries: 0 messages due now, 0 waiting for a retry<\/a>/);
    assert.match(html, /watchdog is not running|not running/i);
  });

  it('shows administrators what is missing before real sending, checking DNS through the configured resolver, each item linking to its fix', async () => {
    const html = (await admin.get('/')).text;
    const items = [
      ...html.matchAll(
        /<li class="(done|missing|unknown)"><span class="state">[^<]+<\/span> <a href="([^"]+)">([^<]+)<\/a> <span class="muted">([^<]*)<\/span><\/li>/g,
      ),
    ].map((m) => `${m[1]} ${m[2]} ${m[3]}: ${m[4]}`);
    assert.deepEqual(items, [
      'missing /setup#smtp SMTP transport: Messages are written to files (transport &quot;capture&quot;): nothing is sent.',
      'done /setup#bounce_domain Bounce domain and its MX: bounce.shop.com receives mail at mx.shop.com.',
      'done /setup#dkim_key DKIM key: Keys for herald._domainkey.shop.com.',
      'missing /setup#dkim_record DKIM record published in DNS: No DKIM key record at herald._domainkey.shop.com.',
      'missing /setup#tracking Tracking URL reachable: http://localhost:8081 names this machine: recipients cannot reach it.',
      'done /deliveries A proof sent: A proof was sent.',
      `missing /operators/${ids.oneTime} The administrator&#39;s one-time password changed: Still on the one-time password: admin.`,
    ]);
    assert.match(html, /Before sending real mail: 4 step\(s\) left/);
    assert.ok(dns.questions.includes('MX bounce.shop.com') && dns.questions.includes('TXT herald._domainkey.shop.com'), dns.questions.join(', '));
    const setup = (await admin.get('/setup')).text;
    for (const id of ['smtp', 'bounce_domain', 'dkim_key', 'dkim_record', 'tracking', 'proof', 'admin_password'])
      assert.match(setup, new RegExp(`<section class="card" id="${id}"`), id);
    assert.match(setup, /herald delivery dkim/);
  });

  it('shows an operator without the reports right neither figures nor the checklist, and refuses them /setup', async () => {
    const clerk = new ConsoleClient(h.base);
    await clerk.login('clerk', 'clerk-password-long-enough');
    const html = (await clerk.get('/')).text;
    assert.doesNotMatch(html, /class="rates"|class="checklist"|Queue and modules/);
    assert.match(html, /recipients/);
    assert.equal((await clerk.get('/setup')).status, 403);
    assert.equal((await clerk.get('/reports/definitions')).status, 403);
  });
});
