import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_ROOT } from '../../server/shared/app-root.js';
import { herald } from '../helpers/cli.js';
import { createInstance, type TestInstance } from '../helpers/instance.js';

const FIXTURES = join(APP_ROOT, 'test', 'fixtures', 'bounces');

describe('herald bounce', function () {
  this.timeout(60_000);
  let instance: TestInstance;
  before(() => (instance = createInstance()));
  after(() => instance.cleanup());

  it('classify --json prints one JSON line per file, without a database', async () => {
    const files = ['lhost-sendmail-01.eml', 'arf-17.eml', 'rfc3834-02.eml', 'is-not-bounce-01.eml'].map((f) => join(FIXTURES, f));
    const result = await herald(['bounce', 'classify', '--json', ...files], instance.env);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(lines[0], {
      file: files[0],
      kind: 'dsn',
      reporter: 'sendmail',
      recipients: [
        { address: 'userunknown@bouncehammer.jp', status: '5.1.1', provider: '', type: 'hard', reason: 'user_unknown', rule: 'user_unknown.status_text' },
      ],
    });
    assert.deepEqual(
      lines.map((l) => l.kind),
      ['dsn', 'arf', 'autoreply', 'not_bounce'],
    );
    assert.deepEqual(lines[3].recipients, []);
  });

  it('classify reports an unreadable file and exits 66', async () => {
    const result = await herald(['bounce', 'classify', '--json', join(instance.dir, 'missing.eml')], instance.env);
    assert.equal(result.code, 66);
    assert.match(result.stderr, /cannot read/);
  });

  it('classify names a file it cannot parse and goes on with the next ones (exit 65)', async () => {
    const broken = join(instance.dir, 'huge-header.eml');
    writeFileSync(broken, `Subject: x\r\nX-Padding: ${'a'.repeat(300 * 1024)}\r\n\r\nbody\r\n`);
    const files = [join(FIXTURES, 'lhost-sendmail-01.eml'), broken, join(FIXTURES, 'arf-17.eml')];
    const result = await herald(['bounce', 'classify', '--json', ...files], instance.env);
    assert.equal(result.code, 65, result.stderr);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      lines.map((l) => [l.file, l.kind]),
      [
        [files[0], 'dsn'],
        [files[2], 'arf'],
      ],
    );
    assert.match(result.stderr, new RegExp(`cannot parse ${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*header`, 'i'));
  });

  it('classify reads every message of an mbox file, numbered from 1, and names one it cannot parse', async () => {
    const separator = (sender: string) => `From ${sender}  Thu Jul  2 12:05:05 2020\n`;
    const fixture = (f: string) => readFileSync(join(FIXTURES, f), 'latin1').replace(/\r\n/g, '\n');
    const mbox = join(instance.dir, 'bounces.mbox');
    writeFileSync(
      mbox,
      [
        separator('MAILER-DAEMON') + fixture('lhost-sendmail-01.eml'),
        separator('bounce@example.com') + `Subject: x\nX-Padding: ${'a'.repeat(300 * 1024)}\n\nbody\n`,
        separator('MAILER-DAEMON') + fixture('lhost-qmail-01.eml'),
        separator('feedback@example.com') + fixture('arf-17.eml'),
      ].join('\n'),
      'latin1',
    );
    const single = join(FIXTURES, 'rfc3834-02.eml');
    const json = await herald(['bounce', 'classify', '--json', mbox, single], instance.env);
    assert.equal(json.code, 65, json.stderr);
    const lines = json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      lines.map((l) => [l.file, l.message, l.kind, l.recipients.map((r: { address: string; type: string }) => `${r.address} ${r.type}`)]),
      [
        [mbox, 1, 'dsn', ['userunknown@bouncehammer.jp hard']],
        [mbox, 3, 'dsn', ['kijitora@example.ne.jp hard']],
        [mbox, 4, 'arf', ['kijitora@example.com hard', 'sabatora@example.net hard']],
        [single, undefined, 'autoreply', ['nekonyaan@example.org ignored']],
      ],
    );
    assert.match(json.stderr, /cannot parse .*bounces\.mbox message 2: .*header/i);
    const text = await herald(['bounce', 'classify', mbox], instance.env);
    assert.match(text.stdout, /bounces\.mbox message 1: dsn\n {2}userunknown@bouncehammer\.jp 5\.1\.1 hard\/user_unknown/);
    assert.match(text.stdout, /bounces\.mbox message 4: arf/);
  });

  it('check explains which rule matched a message on stdin and why', async () => {
    const result = await herald(['bounce', 'check', '--verbose'], instance.env, readFileSync(join(FIXTURES, 'lhost-qmail-01.eml'), 'utf8'));
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /written by qmail/);
    assert.match(result.stdout, /recipient 1: kijitora@example\.ne\.jp/);
    assert.match(result.stdout, /reported by qmail \(mta\), reply from -/);
    assert.match(result.stdout, /=> hard \/ user_unknown by rule user_unknown\.rcpt \(bounce-rules\.conf line \d+, tier text\)/);
    assert.match(result.stdout, /because: command RCPT and text \$user_unknown/);
    assert.match(result.stdout, /user_unknown\.status_text \(line \d+\): status 5\.1\.x does not hold/);
  });

  it('check --text explains one SMTP reply', async () => {
    const result = await herald(['bounce', 'check', '--text', '452 4.2.2 Mailbox full'], instance.env);
    assert.match(result.stdout, /=> soft \/ mailbox_full by rule mailbox_full/);
  });

  it('uses another rules file with --rules and reports its errors with the line (exit 78)', async () => {
    const rules = join(instance.dir, 'rules.conf');
    writeFileSync(rules, '# example: anything\nall soft refused text /./\nbroken hard nope text /x/\n');
    const result = await herald(['bounce', 'check', '--rules', rules, '--text', 'x'], instance.env);
    assert.equal(result.code, 78);
    assert.match(result.stderr, /rules\.conf:3: unknown reason "nope"/);
  });
});
