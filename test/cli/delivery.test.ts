import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { herald } from '../helpers/cli.js';
import { createInstance, type TestInstance } from '../helpers/instance.js';
import { startTestTracker, type TestTracker } from '../helpers/tracking.js';

const HTML = `<html><body><p>Hello <%= recipient.firstName %></p>
<a href="https://shop.example.com/?id=<%= recipient.id %>">Shop</a> <a href="<%= links.unsubscribe %>">Unsubscribe</a></body></html>`;
const TEXT = 'Hello <%= recipient.firstName %>\nUnsubscribe: <%= links.unsubscribe %>\n';

describe('herald delivery commands', function () {
  this.timeout(120_000);
  let instance: TestInstance;
  let files: { html: string; text: string; csv: string };
  let tracker: TestTracker;

  before(async () => {
    const pem = (bits: number) => generateKeyPairSync('rsa', { modulusLength: bits }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    instance = createInstance();
    // starting a delivery pushes its tracked links to the tracking servers first: run a real one
    tracker = await startTestTracker(instance.config, join(instance.dir, 'tracker'));
    instance.env.HERALD_TRACKING__SERVERS = tracker.base;
    const file = (name: string, data: string | Buffer) => {
      writeFileSync(join(instance.dir, name), data);
      return join(instance.dir, name);
    };
    const key = file('dkim.pem', pem(2048));
    file('weak.pem', pem(1024));
    writeFileSync(
      instance.siteFile,
      `\n[[delivery.dkim]]\ndomain = "example.com"\nselector = "s1"\nalgorithm = "rsa-sha256"\nkeyFile = ${JSON.stringify(key)}\n`,
      { flag: 'a' },
    );
    files = {
      html: file('mail.html', HTML),
      text: file('mail.txt', TEXT),
      csv: file('r.csv', 'email,first_name\nann@example.com,Ann\nbob@example.com,Bob\nbroken,X\n'),
    };
    assert.equal((await herald(['db', 'migrate'], instance.env)).code, 0);
    assert.equal((await herald(['recipients', 'import', files.csv], instance.env)).code, 0);
  });
  after(async () => {
    await tracker.stop();
    instance.cleanup();
  });

  it('creates, analyses, previews and starts a delivery', async () => {
    const create = await herald(
      [
        'delivery',
        'create',
        'spring',
        '--from',
        'Shop <news@example.com>',
        '--subject',
        'Hi <%= recipient.firstName %>',
        '--html',
        files.html,
        '--text',
        files.text,
        '--all',
      ],
      instance.env,
    );
    assert.equal(create.code, 0, create.stderr);
    assert.match(create.stdout, /delivery 1 "spring" created \(editing\)/);
    const analyse = await herald(['delivery', 'analyse', 'spring'], instance.env);
    assert.equal(analyse.code, 0, analyse.stderr);
    assert.match(analyse.stdout, /ready\n\s+target\s+2\n\s+excluded\s+0\n\s+to deliver\s+2\n\s+tracked URLs 2/);
    const preview = await herald(['delivery', 'preview', 'spring', '--recipient', 'bob@example.com', '--part', 'subject'], instance.env);
    assert.equal(preview.stdout, 'Hi Bob\n');
    const raw = await herald(['delivery', 'preview', 'spring', '--part', 'raw'], instance.env);
    assert.match(raw.stdout, /^DKIM-Signature: v=1; a=rsa-sha256; c=relaxed\/relaxed; d=example\.com;/);
    const start = await herald(['delivery', 'start', 'spring', '--json'], instance.env);
    assert.equal(start.code, 0, start.stderr);
    assert.equal(JSON.parse(start.stdout).state, 'start_pending');
    const again = await herald(['delivery', 'start', 'spring'], instance.env);
    assert.equal(again.code, 65);
    assert.match(again.stderr, /^herald: a delivery that is start pending cannot be started\n$/);
  });

  it('sends proofs and lists and shows deliveries', async () => {
    const proof = await herald(['delivery', 'proof', 'spring', '--to', 'seed@proof.test,seed@proof.test', '--as', 'ann@example.com'], instance.env);
    assert.equal(proof.code, 0, proof.stderr);
    assert.match(proof.stdout, /proof 2 "spring-proof-1": 1 message\(s\) pending for the MTA/);
    const list = await herald(['delivery', 'list'], instance.env);
    assert.match(list.stdout, /^ID\s+NAME\s+KIND\s+STATE[\s\S]*2\s+spring-proof-1\s+proof\s+start pending[\s\S]*1\s+spring\s+marketing\s+start pending/m);
    const show = await herald(['delivery', 'show', '2', '--json'], instance.env);
    const shown = JSON.parse(show.stdout);
    assert.deepEqual([shown.kind, shown.toDeliver, shown.messages], ['proof', 1, { pending: 1 }]);
    const stop = await herald(['delivery', 'stop', 'spring'], instance.env);
    assert.match(stop.stdout, /stopped, 2 pending message\(s\) cancelled/);
  });

  it('explains what blocks a delivery, and analyses it again once edited', async () => {
    writeFileSync(files.html, '<p>no way out</p>');
    await herald(['delivery', 'create', 'bad', '--from', 'news@example.com', '--subject', 'x', '--html', files.html, '--all'], instance.env);
    const analyse = await herald(['delivery', 'analyse', 'bad'], instance.env);
    assert.equal(analyse.code, 65);
    assert.match(analyse.stdout, /editing\n\s+no message prepared[\s\S]*error\s+unsubscribe\.html: marketing mail needs an unsubscribe link/);
    writeFileSync(files.html, HTML);
    const edit = await herald(['delivery', 'edit', 'bad', '--html', files.html, '--limit', '1'], instance.env);
    assert.equal(edit.code, 0, edit.stderr);
    const again = await herald(['delivery', 'analyse', 'bad'], instance.env);
    assert.equal(again.code, 0, again.stdout);
    assert.match(again.stdout, /excluded\s+1\s+\(target limited 1\)\n\s+to deliver\s+1/);
  });

  it('prints the DNS record of each DKIM key, and refuses a weak key with exit 78', async () => {
    const records = await herald(['delivery', 'dkim'], instance.env);
    assert.equal(records.code, 0, records.stderr);
    assert.match(records.stdout, /^s1\._domainkey\.example\.com TXT "v=DKIM1; k=rsa; p=MIIBIjAN/);
    const weak = join(instance.dir, 'weak-site.toml');
    writeFileSync(weak, readFileSync(instance.siteFile, 'utf8').replace(/dkim\.pem/, 'weak.pem'));
    const res = await herald(['delivery', 'dkim'], { ...instance.env, HERALD_CONFIG: weak });
    assert.equal(res.code, 78);
    assert.equal(res.stderr, 'herald: delivery.dkim[0]: the RSA key has 1024 bits; use 2048 or more\n');
  });
});
