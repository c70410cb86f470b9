import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { instanceSiteFile } from '../../server/shared/config/instances.js';
import { loadConfig } from '../../server/shared/config/load.js';
import { herald } from '../helpers/cli.js';
import { StoppedInstances } from '../../server/shared/stopped-instances.js';
import { createInstance, openTestDb, secret, testDialect, type TestInstance } from '../helpers/instance.js';
import { createTestDatabase } from '../helpers/postgres-databases.js';

describe('herald instance add, list and remove', function () {
  this.timeout(120_000);
  let main: TestInstance;
  before(async () => {
    main = createInstance();
    const db = await openTestDb(main);
    await db.close();
  });
  after(() => main.cleanup());

  it('adds an instance with its own site config, secrets, data folder and migrated SQLite database', async () => {
    const res = await herald(['instance', 'add', 'brand-a'], main.env);
    assert.equal(res.code, 0, res.stderr);
    const file = instanceSiteFile(main.siteFile, 'brand-a');
    assert.match(res.stdout, /added instance brand-a/);
    assert.equal(statSync(file).mode & 0o777, 0o600, 'the site config holds secrets: owner only');
    const { config } = loadConfig({ siteFile: file, env: {} });
    assert.equal(config.instanceName, 'brand-a');
    assert.equal(config.dataDir, join(main.config.dataDir, 'instances', 'brand-a'));
    for (const key of ['trackingKey', 'sessionKey', 'bounceKey', 'statKey', 'vapidPrivateKey'] as const) {
      assert.ok(config.secrets[key].length >= 32, `${key} generated`);
      assert.notEqual(config.secrets[key], main.config.secrets[key], `${key} is the instance's own`);
    }
    assert.equal(config.database.dialect, 'sqlite', 'no --database: its own SQLite file');
    assert.ok(existsSync(join(config.dataDir, config.database.sqliteFile)), 'its SQLite file is created and migrated');
    assert.notEqual(config.inmail.port, main.config.inmail.port, 'an inMail port of its own');
    assert.equal(config.metrics.ports.mta, 0, 'metrics on any free port: instances never collide');
    const check = await herald(['--instance', 'brand-a', 'db', 'check'], main.env);
    assert.equal(check.code, 0, check.stdout + check.stderr);
  });

  it('keeps data apart: an operator added to one instance is not in the other', async () => {
    const add = await herald(['--instance', 'brand-a', 'operator', 'add', 'ann', '--rights', 'admin'], main.env);
    assert.equal(add.code, 0, add.stderr);
    const inA = await herald(['--instance', 'brand-a', 'operator', 'list'], main.env);
    const inDefault = await herald(['operator', 'list'], main.env);
    assert.match(inA.stdout, /\bann\b/);
    assert.doesNotMatch(inDefault.stdout, /\bann\b/, 'the default instance does not see it');
  });

  it('lists every instance, the default one first, as a table and as JSON', async () => {
    const json = await herald(['instance', 'list', '--json'], main.env);
    assert.equal(json.code, 0, json.stderr);
    const { instances } = JSON.parse(json.stdout) as { instances: Array<{ name: string; default: boolean; state: string; dataDir: string }> };
    assert.deepEqual(
      instances.map((i) => [i.name, i.default, i.state]),
      [
        [main.config.instanceName, true, 'not supervised'],
        ['brand-a', false, 'not supervised'],
      ],
    );
    const table = await herald(['instance', 'list'], main.env);
    assert.match(table.stdout, new RegExp(`^${main.config.instanceName} \\(default\\)`, 'm'));
    assert.match(table.stdout, /^brand-a /m);
  });

  const refused: Array<[string, string[], RegExp]> = [
    ['an upper-case name', ['instance', 'add', 'Brand'], /not a valid instance name/],
    ['a name starting with a dash', ['instance', 'add', '-x'], /Unknown option|not a valid instance name/],
    ['an underscore', ['instance', 'add', 'a_b'], /not a valid instance name/],
    ['a name of 41 characters', ['instance', 'add', 'a'.repeat(41)], /not a valid instance name/],
    ['the default instance name', ['instance', 'add', 'herald'], /is the default instance/],
    ['an instance that exists', ['instance', 'add', 'brand-a'], /exists already/],
    ['an unknown --instance', ['--instance', 'nope', 'operator', 'list'], /no instance "nope"/],
    ['removing the default instance', ['instance', 'remove', 'herald'], /cannot be removed/],
    ['removing an unknown instance', ['instance', 'remove', 'nope'], /no instance "nope"/],
    ['a bad inMail port', ['instance', 'add', 'brand-z', '--inmail-port', 'x'], /not a TCP port/],
  ];
  for (const [what, args, message] of refused) {
    it(`refuses ${what} with exit 64 and a clear message`, async () => {
      const res = await herald(args, main.env);
      assert.equal(res.code, 64, res.stdout + res.stderr);
      assert.match(res.stderr, message);
    });
  }

  it('refuses a database URL that does not validate, leaving no instance behind', async () => {
    const res = await herald(['instance', 'add', 'brand-bad', '--database', 'ftp://nowhere/x'], main.env);
    assert.equal(res.code, 78, res.stderr);
    assert.match(res.stderr, /database\.url/);
    assert.equal(existsSync(instanceSiteFile(main.siteFile, 'brand-bad')), false);
  });

  it('removes an instance keeping its data folder and site config, or deleting them with --purge', async () => {
    assert.equal((await herald(['instance', 'add', 'brand-b'], main.env)).code, 0);
    assert.equal((await herald(['instance', 'add', 'brand-c'], main.env)).code, 0);
    const dirB = loadConfig({ siteFile: instanceSiteFile(main.siteFile, 'brand-b'), env: {} }).config.dataDir;
    const dirC = loadConfig({ siteFile: instanceSiteFile(main.siteFile, 'brand-c'), env: {} }).config.dataDir;
    const secretB = (parse(readFileSync(instanceSiteFile(main.siteFile, 'brand-b'), 'utf8')) as { secrets: { trackingKey: string } }).secrets.trackingKey;

    const kept = await herald(['instance', 'remove', 'brand-b'], main.env);
    assert.equal(kept.code, 0, kept.stderr);
    assert.equal(existsSync(instanceSiteFile(main.siteFile, 'brand-b')), false);
    assert.ok(existsSync(join(dirB, 'herald.sqlite')), 'its database is kept');
    const moved = parse(readFileSync(join(dirB, 'removed-instance.toml'), 'utf8')) as { secrets: { trackingKey: string } };
    assert.equal(moved.secrets.trackingKey, secretB, 'its secrets are kept with its data');

    const purged = await herald(['instance', 'remove', 'brand-c', '--purge'], main.env);
    assert.equal(purged.code, 0, purged.stderr);
    assert.equal(existsSync(dirC), false);
    assert.equal(existsSync(instanceSiteFile(main.siteFile, 'brand-c')), false);
    assert.ok(existsSync(main.paths.sqliteFile) || testDialect() !== 'sqlite', 'the default instance is untouched');
    const list = JSON.parse((await herald(['instance', 'list', '--json'], main.env)).stdout) as { instances: Array<{ name: string }> };
    assert.deepEqual(
      list.instances.map((i) => i.name),
      [main.config.instanceName, 'brand-a'],
    );
  });

  it('adds an instance on its own networked database given as a URL', async function () {
    if (testDialect() !== 'postgres') this.skip(); // needs HERALD_TEST_DATABASE_URL (the PostgreSQL pass)
    const pg = createTestDatabase();
    try {
      const res = await herald(['instance', 'add', 'brand-pg', '--database', pg.url], main.env);
      assert.equal(res.code, 0, res.stderr);
      assert.doesNotMatch(res.stdout, new RegExp(new URL(pg.url).password || 'no-password-in-url'), 'the password is never printed');
      const { config } = loadConfig({ siteFile: instanceSiteFile(main.siteFile, 'brand-pg'), env: {} });
      assert.equal(config.database.dialect, 'postgres');
      const check = await herald(['--instance', 'brand-pg', 'db', 'check', '--json'], main.env);
      assert.equal(check.code, 0, check.stdout + check.stderr);
      assert.deepEqual((JSON.parse(check.stdout) as { pending: string[] }).pending, []);
      assert.equal((await herald(['instance', 'remove', 'brand-pg', '--purge'], main.env)).code, 0);
    } finally {
      pg.drop();
    }
  });

  it('sets the web and tracking hosts of an added instance, and refuses a host another instance declares', async () => {
    const res = await herald(['instance', 'add', 'brand-h', '--host', 'B.Example', '--tracking-host', 't.b.example'], main.env);
    assert.equal(res.code, 0, res.stderr);
    const { config } = loadConfig({ siteFile: instanceSiteFile(main.siteFile, 'brand-h'), env: {} });
    assert.deepEqual([config.web.hosts, config.web.publicUrl], [['b.example'], 'https://b.example']);
    assert.deepEqual([config.tracking.hosts, config.tracking.publicUrl], [['t.b.example'], 'https://t.b.example']);
    assert.deepEqual(
      [config.tracking.host, config.tracking.port],
      [main.config.tracking.host, main.config.tracking.port],
      'its API calls reach the one tracking process',
    );
    const clash = await herald(['instance', 'add', 'brand-i', '--host', 'b.example'], main.env);
    assert.equal(clash.code, 64, clash.stdout + clash.stderr);
    assert.match(clash.stderr, /--host: host "b\.example" is claimed by instance brand-h too \(.*brand-h\.toml: web\.hosts\)/);
    assert.equal(existsSync(instanceSiteFile(main.siteFile, 'brand-i')), false);
    const bad = await herald(['instance', 'add', 'brand-j', '--host', 'not a host'], main.env);
    assert.equal(bad.code, 64);
    assert.match(bad.stderr, /is not a host name/);
    assert.equal((await herald(['instance', 'remove', 'brand-h', '--purge'], main.env)).code, 0);
  });
});

describe('herald instance add and the stat server of the appliance', function () {
  this.timeout(120_000);
  let main: TestInstance;
  let keyFile: string;
  const otherKey = secret();
  before(async () => {
    main = createInstance('[mta]\nstatServer = "127.0.0.1:7999"\npublicIp = "192.0.2.10"\n', { statKey: secret() });
    await (await openTestDb(main)).close();
    keyFile = join(main.dir, 'stat.key');
    writeFileSync(keyFile, `${otherKey}\n`, { mode: 0o600 });
  });
  after(() => main.cleanup());
  const configOf = (name: string) => loadConfig({ siteFile: instanceSiteFile(main.siteFile, name), env: {} }).config;

  it("shares the default instance's stat server, key and sending IP without any option", async () => {
    const res = await herald(['instance', 'add', 'brand-s'], main.env);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /stat server: 127\.0\.0\.1:7999 \(the default instance's key, as the default instance's MTA\)/);
    assert.doesNotMatch(res.stdout, new RegExp(main.config.secrets.statKey!), 'the key is never printed');
    const config = configOf('brand-s');
    assert.equal(config.mta.statServer, '127.0.0.1:7999');
    assert.equal(config.secrets.statKey, main.config.secrets.statKey);
    assert.equal(config.mta.publicIp, '192.0.2.10');
    assert.notEqual(config.secrets.trackingKey, main.config.secrets.trackingKey, 'the other secrets are its own');
    assert.equal(config.modules.stat.autoStart, false, 'it runs no stat server of its own');
  });

  const chosen: Array<[string, string[], string, () => string | undefined]> = [
    ['--stat-server none keeps it on its own limits and key', ['--stat-server', 'none'], '', () => undefined],
    [
      '--stat-server with --stat-key-file takes that server and key',
      ['--stat-server', '10.0.0.5:7790', '--stat-key-file', '<key>'],
      '10.0.0.5:7790',
      () => otherKey,
    ],
    ["--stat-server alone takes the default instance's key", ['--stat-server', 'stat.example:7790'], 'stat.example:7790', () => main.config.secrets.statKey],
  ];
  chosen.forEach(([title, flags, server, key], n) => {
    it(title, async () => {
      const res = await herald(['instance', 'add', `brand-t${n}`, ...flags.map((f) => (f === '<key>' ? keyFile : f))], main.env);
      assert.equal(res.code, 0, res.stderr);
      const config = configOf(`brand-t${n}`);
      assert.equal(config.mta.statServer, server);
      if (key()) assert.equal(config.secrets.statKey, key());
      else assert.notEqual(config.secrets.statKey, main.config.secrets.statKey, 'a key of its own');
    });
  });

  const refused: Array<[string, string[], RegExp]> = [
    ['a stat server that is not host:port', ['--stat-server', 'nowhere'], /--stat-server: "nowhere" is not "host:port" or "none"/],
    [
      'a key file that does not exist',
      ['--stat-server', '127.0.0.1:1', '--stat-key-file', '/nonexistent/key'],
      /--stat-key-file: cannot read \/nonexistent\/key \(ENOENT\)/,
    ],
    ['a key file with --stat-server none', ['--stat-server', 'none', '--stat-key-file', '/nonexistent/key'], /no use with --stat-server none/],
  ];
  for (const [what, flags, message] of refused) {
    it(`refuses ${what} with exit 64, writing nothing`, async () => {
      const res = await herald(['instance', 'add', 'brand-r', ...flags], main.env);
      assert.equal(res.code, 64, res.stdout + res.stderr);
      assert.match(res.stderr, message);
      assert.equal(existsSync(instanceSiteFile(main.siteFile, 'brand-r')), false);
    });
  }

  it('forgets a stop on request of an instance it removes (a name added again starts as a new instance)', async () => {
    const marks = StoppedInstances.of(main.config, main.paths);
    marks.mark('brand-s', new Date());
    assert.deepEqual([...marks.read().keys()], ['brand-s']);
    const res = await herald(['instance', 'remove', 'brand-s'], main.env);
    assert.equal(res.code, 0, res.stderr);
    assert.deepEqual([...marks.read().keys()], []);
  });
});
