import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { APP_ROOT } from '../../server/shared/app-root.js';
import { herald } from '../helpers/cli.js';
import { createInstance, testDialect, unreachableDatabaseEnv, type TestInstance } from '../helpers/instance.js';

describe('herald CLI', function () {
  this.timeout(60_000);
  let instance: TestInstance;
  let unreachable: NodeJS.ProcessEnv;
  before(() => {
    instance = createInstance();
    unreachable = unreachableDatabaseEnv(instance);
  });
  after(() => instance.cleanup());

  it('prints usage and exits 64 for an unknown command or flag', async () => {
    const unknown = await herald(['frobnicate'], instance.env);
    assert.equal(unknown.code, 64);
    assert.match(unknown.stderr, /unknown command: frobnicate/);
    assert.match(unknown.stderr, /usage: herald <command>/);
    const flag = await herald(['config', 'check', '--verbose'], instance.env);
    assert.equal(flag.code, 64);
    assert.match(flag.stderr, /Unknown option '--verbose'[\s\S]*usage: herald config check/);
    const help = await herald(['--help'], instance.env);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /herald recipients import <file\.csv>/);
  });

  it('checks the config: exit 0 when valid, 78 with one line naming file, key and reason when not', async () => {
    const ok = await herald(['config', 'check'], instance.env);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /config ok/);
    const bad = join(instance.dir, 'bad.toml');
    writeFileSync(bad, readFileSync(instance.siteFile, 'utf8') + '\n[web]\nport = "eighty"\n');
    const res = await herald(['config', 'check'], { ...instance.env, HERALD_CONFIG: bad });
    assert.equal(res.code, 78);
    assert.equal(res.stderr.trim().split('\n').length, 1, 'exactly one line');
    assert.match(res.stderr, /bad\.toml: web\.port: expected an integer, got "eighty"/);
    const env = await herald(['config', 'check'], { ...instance.env, HERALD_LOG__LEVEL: 'chatty' });
    assert.equal(env.code, 78);
    assert.match(env.stderr, /environment HERALD_LOG__LEVEL: log\.level: expected one of/);
  });

  it('writes the database given to install.sh (HERALD_DATABASE__URL) into a new site config, masked, and names a bad URL', async () => {
    const site = join(instance.dir, 'init', 'herald.toml');
    const url = 'postgres://herald:s3cret@db.example.net:5432/herald?sslmode=require';
    const init = await herald(['config', 'init'], { ...instance.env, HERALD_CONFIG: site, HERALD_DATABASE__URL: url });
    assert.equal(init.code, 0, init.stderr);
    assert.ok(!init.stdout.includes('s3cret'), 'the URL and its password are not printed');
    const shown = await herald(['config', 'show'], { ...instance.env, HERALD_CONFIG: site });
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /dialect = "postgres"[\s\S]*host = "db\.example\.net"[\s\S]*port = 5432/);
    assert.ok(!shown.stdout.includes('s3cret'), 'the URL and its password are masked');
    const bad = await herald(['config', 'check'], { ...instance.env, HERALD_CONFIG: site, HERALD_DATABASE__URL: 'mysql://h:p@db/herald' });
    assert.equal(bad.code, 78);
    assert.match(bad.stderr, /environment HERALD_DATABASE__URL: database\.url: unsupported scheme "mysql"/);
  });

  it('shows the effective config with secrets masked', async () => {
    const res = await herald(['config', 'show', '--set', 'web.port=9123'], instance.env);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /port = 9123/);
    assert.ok(!res.stdout.includes(instance.config.secrets.trackingKey), 'the tracking key is masked');
    assert.match(res.stdout, /trackingKey = "\*{8}"/);
  });

  it('migrates the database and reports its status', async () => {
    const before = await herald(['db', 'check'], instance.env);
    assert.equal(before.code, 1, 'pending migrations exit 1');
    assert.match(
      before.stdout,
      new RegExp(`dialect: +${testDialect()}[\\s\\S]*reachable: +yes[\\s\\S]*pending \\(001-initial[^;]*; run: herald db migrate\\)`),
    );
    const migrate = await herald(['db', 'migrate'], instance.env);
    assert.equal(migrate.code, 0, migrate.stderr);
    assert.match(migrate.stdout, /applied: 001-initial/);
    const after = await herald(['db', 'check', '--json'], instance.env);
    assert.equal(after.code, 0);
    const report = JSON.parse(after.stdout) as { reachable: boolean; pending: string[]; version: string };
    assert.equal(report.reachable, true);
    assert.deepEqual(report.pending, []);
    assert.match(report.version, { sqlite: /^3\.\d+/, postgres: /^PostgreSQL \d+\.\d+/, mssql: /SQL Server/ }[testDialect()]);
  });

  it('says in one line when the database is unreachable and exits 69', async () => {
    const res = await herald(['db', 'check'], { ...instance.env, ...unreachable });
    assert.equal(res.code, 69);
    assert.match(res.stdout, /reachable: +no \(/);
    const migrate = await herald(['db', 'migrate'], { ...instance.env, ...unreachable });
    assert.equal(migrate.code, 69);
    assert.match(migrate.stderr, /^herald: database unreachable: .+\n$/);
  });

  it('adds operators with a one-time password, lists them and resets passwords', async () => {
    const add = await herald(['operator', 'add', 'Alice', '--rights', 'prepare_deliveries,view_reports', '--name', 'Alice A.'], instance.env);
    assert.equal(add.code, 0, add.stderr);
    assert.match(add.stdout, /operator "alice" created with rights prepare_deliveries, view_reports/);
    assert.match(add.stdout, /one-time password .*: [A-Za-z2-9]{20}\n/);
    const dup = await herald(['operator', 'add', 'alice', '--rights', 'admin'], instance.env);
    assert.equal(dup.code, 65);
    assert.match(dup.stderr, /already exists/);
    const badRight = await herald(['operator', 'add', 'bob', '--rights', 'root'], instance.env);
    assert.equal(badRight.code, 64);
    assert.match(badRight.stderr, /unknown: root/);
    const weak = await herald(['operator', 'passwd', 'alice', '--password-stdin'], instance.env, 'short\n');
    assert.equal(weak.code, 65);
    const common = await herald(['operator', 'passwd', 'alice', '--password-stdin'], instance.env, 'iloveyou123456\n');
    assert.equal(common.code, 65);
    assert.match(common.stderr, /stolen or commonly used/);
    const chosen = await herald(['operator', 'passwd', 'alice', '--password-stdin'], instance.env, 'a long enough password\n');
    assert.equal(chosen.code, 0, chosen.stderr);
    assert.doesNotMatch(chosen.stdout, /one-time/);
    const missing = await herald(['operator', 'passwd', 'nobody'], instance.env);
    assert.equal(missing.code, 65);
    const list = await herald(['operator', 'list', '--json'], instance.env);
    const rows = list.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { login: string; rights: string[] });
    assert.deepEqual(
      rows.map((r) => [r.login, r.rights]),
      [['alice', ['prepare_deliveries', 'view_reports']]],
    );
    assert.ok(!list.stdout.includes('scrypt'), 'hashes are never printed');
  });

  it('imports a CSV with bad rows: good rows in, a reject report with line and reason, a summary', async () => {
    const csv = join(instance.dir, 'people.csv');
    writeFileSync(csv, 'email;first_name;plan\nann@example.com;Ann;gold\nnope;Bob;silver\ncid@example.com;Cid\n');
    const res = await herald(['recipients', 'import', csv], instance.env);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /imported 1 of 3 rows in [\d.]+ s: 1 new, 0 updated, 2 rejected \(reasons in .*people\.csv\.rejects\.csv\)/);
    assert.equal(
      readFileSync(`${csv}.rejects.csv`, 'utf8'),
      'line,email,reason\r\n3,nope,"email has no ""@"" between a local part and a domain"\r\n4,cid@example.com,"expected 3 columns, got 2"\r\n',
    );
    const all = await herald(['recipients', 'import', join(instance.dir, 'absent.csv')], instance.env);
    assert.equal(all.code, 66);
    const latin1 = join(instance.dir, 'latin1.csv');
    writeFileSync(latin1, Buffer.from('email;first_name;plan\nzoe@example.com;Zoé;gold\n', 'latin1'));
    const refused = await herald(['recipients', 'import', latin1], instance.env);
    assert.equal(refused.code, 65);
    assert.match(refused.stderr, /not UTF-8 \(line 2 .*--encoding windows-1252/);
    const declared = await herald(['recipients', 'import', latin1, '--encoding', 'windows-1252'], instance.env);
    assert.equal(declared.code, 0, declared.stderr);
    assert.match(declared.stdout, /imported 1 of 1 rows .*: 1 new, 0 updated, 0 rejected; read as windows-1252\n/);
    const zoe = await herald(['recipients', 'export'], instance.env);
    assert.match(zoe.stdout, /^zoe@example\.com,Zoé,/m);
    assert.equal((await herald(['recipients', 'import', latin1, '--encoding', 'klingon'], instance.env)).code, 65);
    const exported = await herald(['recipients', 'export'], instance.env);
    assert.equal(
      exported.stdout,
      [
        'email,first_name,last_name,email_format,denylisted,denylisted_email,mobile,fax,address_line1,address_line2,postal_code,postal_city,postal_country,time_zone,denylisted_sms,denylisted_push,denylisted_postal,denylisted_fax,language,plan',
        'ann@example.com,Ann,,html,false,false,,,,,,,,,false,false,false,false,,gold',
        'zoe@example.com,Zoé,,html,false,false,,,,,,,,,false,false,false,false,,gold',
        '',
      ].join('\r\n'),
    );
  });

  it('runs the web module in the foreground, answers on its port and drains on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import=tsx', join(APP_ROOT, 'server/cli/main.ts'), 'web', '--set', 'web.port=0', '--set', 'log.console=always'], {
      env: instance.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr.on('data', (d) => (output += d));
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`web did not start:\n${output}`)), 20_000);
      child.stderr.on('data', () => {
        const m = /WEB_LISTENING host=\S+ port=(\d+)/.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
    });
    const res = await fetch(`http://127.0.0.1:${port}/health`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ok', module: 'web', version: '0.1.0', database: 'ok' });
    child.kill('SIGTERM');
    const code = await new Promise((resolve) => child.on('exit', resolve));
    assert.equal(code, 0);
    assert.match(output, /PROCESS_STOPPING reason=SIGTERM[\s\S]*PROCESS_STOPPED/);
    assert.ok(existsSync(join(instance.paths.logDir, 'web.log')), 'the module writes its JSON log in the data directory');
  });

  it('keeps a module waiting for an unreachable database instead of crash-looping', async () => {
    const child = spawn(process.execPath, ['--import=tsx', join(APP_ROOT, 'server/cli/main.ts'), 'web', '--set', 'web.port=0', '--set', 'log.console=always'], {
      env: { ...instance.env, ...unreachable },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr.on('data', (d) => (output += d));
    // the second retry comes 1 s after the first; on a busy machine booting alone can take longer than that
    for (let waited = 0; !/DB_UNREACHABLE attempt=2/.test(output) && child.exitCode === null && waited < 15_000; waited += 100) await sleep(100);
    assert.equal(child.exitCode, null, `the module exited:\n${output}`);
    assert.match(output, /DB_UNREACHABLE attempt=1 retryInMs=1000/);
    assert.match(output, /DB_UNREACHABLE attempt=2 retryInMs=2000/);
    child.kill('SIGTERM');
    assert.equal(await new Promise((resolve) => child.on('exit', resolve)), 0);
  });

  it('stops a module with a bad config with exit 78 and one line', async () => {
    const res = await herald(['web', '--set', 'web.port=-1'], instance.env);
    assert.equal(res.code, 78);
    assert.match(res.stderr, /^herald web: config error: --set web\.port: web\.port: must be ≥ 0, got -1\n$/);
  });
});
