import { vapidKeys } from '../../server/shared/vapid.js';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { APP_ROOT } from '../../server/shared/app-root.js';
import { herald, type CliResult } from '../helpers/cli.js';
import { testDialect } from '../helpers/instance.js';
import { createTestDatabase, hasNoTablesSync } from '../helpers/postgres-databases.js';

/** The environment of a newcomer's shell: no HERALD_* variable but the ones a test sets. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('HERALD_')) env[k] = v;
  return { ...env, ...extra };
}

const toml = (file: string) => parse(readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>>;

describe('herald config init over a site config the admin wrote first', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'herald-init-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const init = (file: string, env: Record<string, string> = {}) => herald(['config', 'init'], cleanEnv({ HERALD_CONFIG: file, ...env }));

  it('adds the missing secrets to a file that holds only ports, keeping what the admin wrote, and the config then checks', async () => {
    const file = join(dir, 'herald.toml');
    const mine = '# my settings\n[web]\nport = 9090 # the console\n\n[tracking]\nport = 9091\n';
    writeFileSync(file, mine, { mode: 0o644 });
    assert.equal((await herald(['config', 'check'], cleanEnv({ HERALD_CONFIG: file }))).code, 78, 'before: secrets are missing');
    const res = await init(file);
    assert.equal(res.code, 0, res.stderr);
    assert.match(
      res.stdout,
      /added to .*herald\.toml: secrets\.trackingKey, secrets\.sessionKey, secrets\.bounceKey, secrets\.trackingApiKey, secrets\.statKey, secrets\.vapidPrivateKey \(generated\)/,
    );
    const text = readFileSync(file, 'utf8');
    assert.ok(text.startsWith(mine), 'what the admin wrote is untouched, comments included');
    const site = toml(file);
    assert.equal(site.web!.port, 9090);
    assert.equal(site.tracking!.port, 9091);
    for (const key of ['trackingKey', 'sessionKey', 'bounceKey', 'trackingApiKey', 'statKey', 'vapidPrivateKey'])
      assert.match(String(site.secrets![key]), /^[\w-]{43}$/, key);
    assert.equal(vapidKeys(String(site.secrets!.vapidPrivateKey)).publicKey.length, 87, 'the VAPID key is a P-256 private key: its public key derives');
    assert.equal(statSync(file).mode & 0o777, 0o600, 'a file holding secrets is readable by its owner only');
    const check = await herald(['config', 'check'], cleanEnv({ HERALD_CONFIG: file }));
    assert.equal(check.code, 0, check.stderr);
    const again = await init(file);
    assert.match(again.stdout, /kept .*herald\.toml: nothing to add/);
    assert.equal(readFileSync(file, 'utf8'), text, 'a second run changes nothing');
  });

  it('completes a [secrets] table that has some keys, inside that table', async () => {
    const file = join(dir, 'herald.toml');
    const session = 's'.repeat(43);
    writeFileSync(file, `[secrets]\nsessionKey = "${session}"\n\n[web]\nport = 9090\n`);
    assert.equal((await init(file)).code, 0);
    const site = toml(file);
    assert.equal(site.secrets!.sessionKey, session, 'an existing secret is never replaced');
    assert.ok(site.secrets!.trackingKey && site.secrets!.bounceKey);
    assert.equal((await herald(['config', 'check'], cleanEnv({ HERALD_CONFIG: file }))).code, 0);
  });

  it('writes settings given as HERALD_* variables into the site config, so later commands find them', async () => {
    const created = join(dir, 'new.toml');
    const env = { HERALD_WEB__PORT: '8095', HERALD_MTA__TRANSPORT: 'verify', HERALD_DATA_DIR: join(dir, 'data') };
    const res = await init(created, env);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /web\.port = 8095 \(from HERALD_WEB__PORT\)/);
    const site = toml(created);
    assert.deepEqual([site.web!.port, site.mta!.transport, site.dataDir], [8095, 'verify', join(dir, 'data')]);
    const shown = await herald(['config', 'get', 'web.port'], cleanEnv({ HERALD_CONFIG: created }));
    assert.equal(shown.stdout, '8095\n', 'without the variable, the setting is still there');

    const existing = join(dir, 'existing.toml');
    writeFileSync(existing, '[web]\nport = 9090\nhost = "0.0.0.0"\n');
    const changed = await init(existing, { HERALD_WEB__PORT: '9191', HERALD_WEB__PUBLIC_URL: 'https://console.example.com' });
    assert.equal(changed.code, 0, changed.stderr);
    assert.match(changed.stdout, /web\.port = 9191 \(from HERALD_WEB__PORT; was 9090\)/);
    const updated = toml(existing);
    assert.deepEqual([updated.web!.port, updated.web!.host, updated.web!.publicUrl], [9191, '0.0.0.0', 'https://console.example.com']);
  });

  it('refuses, naming the file and the reason, what it cannot complete safely, and changes nothing', async () => {
    const cases: Array<[string, string, RegExp]> = [
      ['broken.toml', '[web\nport = 9090\n', /broken\.toml.*line 1.*invalid TOML/],
      ['dotted.toml', 'secrets.sessionKey = "' + 's'.repeat(43) + '"\n[web]\nport = 9090\n', /dotted\.toml.*secrets\.trackingKey.*add it by hand/],
    ];
    for (const [name, text, message] of cases) {
      const file = join(dir, name);
      writeFileSync(file, text);
      const res = await init(file);
      assert.equal(res.code, 78, name);
      assert.match(res.stderr, message, name);
      assert.equal(readFileSync(file, 'utf8'), text, `${name} is unchanged`);
    }
    const bad = await init(join(dir, 'x.toml'), { HERALD_WEB__PORT: 'eighty' });
    assert.equal(bad.code, 78);
    assert.match(bad.stderr, /HERALD_WEB__PORT/);
  });
});

/**
 * A checkout of Herald in a temporary folder: the sources, and a node_modules made of links to this
 * checkout's packages with install.sh's lock stamp, so install.sh finds its dependencies installed
 * and does not run npm ci.
 */
function checkout(root: string): string {
  mkdirSync(root, { recursive: true });
  for (const entry of ['install.sh', 'package.json', 'package-lock.json', 'tsconfig.json', 'server', 'scripts', 'views'])
    cpSync(join(APP_ROOT, entry), join(root, entry), { recursive: true });
  mkdirSync(join(root, 'config'));
  for (const file of readdirSync(join(APP_ROOT, 'config')))
    if (file !== 'herald.toml') cpSync(join(APP_ROOT, 'config', file), join(root, 'config', file), { recursive: true });
  mkdirSync(join(root, 'node_modules'));
  for (const entry of readdirSync(join(APP_ROOT, 'node_modules')))
    if (entry !== '.herald-lock-sha256') symlinkSync(join(APP_ROOT, 'node_modules', entry), join(root, 'node_modules', entry));
  const lock = createHash('sha256')
    .update(readFileSync(join(root, 'package-lock.json')))
    .digest('hex');
  writeFileSync(join(root, 'node_modules', '.herald-lock-sha256'), `${lock}\n`);
  return root;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('install.sh as a newcomer runs it', function () {
  // One real install: it builds the TypeScript sources (a minute or two on a busy machine).
  this.timeout(600_000);
  let base: string;
  let first: string;
  let bin: string;
  let other: string;
  let installed: CliResult;
  // On the PostgreSQL run, the install points Herald at an existing, empty PostgreSQL database.
  const database = testDialect() === 'postgres' ? createTestDatabase() : undefined;
  before(async () => {
    base = mkdtempSync(join(tmpdir(), 'herald-install-'));
    first = checkout(join(base, 'first'));
    bin = join(base, 'bin');
    writeFileSync(join(first, 'config', 'herald.toml'), '# written by the admin before installing\n[web]\nport = 9393\n');
    // The herald command on the PATH already runs another checkout of Herald.
    other = join(base, 'other');
    mkdirSync(join(other, 'scripts'), { recursive: true });
    writeFileSync(join(other, 'scripts', 'herald'), '#!/bin/sh\necho other\n', { mode: 0o755 });
    mkdirSync(bin);
    symlinkSync(join(other, 'scripts', 'herald'), join(bin, 'herald'));
    const env = cleanEnv({ HOME: join(base, 'home'), HERALD_WEB__HOST: '127.0.0.1', HERALD_TRACKING__PORT: '9394' });
    const onDatabase = database ? ['--database', database.url] : [];
    installed = await run('bash', [join(first, 'install.sh'), '--no-start', '--bin-dir', bin, ...onDatabase], env, base);
  });
  after(() => {
    rmSync(base, { recursive: true, force: true });
    database?.drop();
  });

  it('installs over the site config the admin wrote first, adding the secrets and the settings given as variables', () => {
    assert.equal(installed.code, 0, `${installed.stdout}\n${installed.stderr}`);
    assert.doesNotMatch(installed.stdout, /installing dependencies/, 'the lock stamp matched: npm ci did not run');
    const site = toml(join(first, 'config', 'herald.toml'));
    assert.equal(site.web!.port, 9393);
    assert.equal(site.web!.host, '127.0.0.1');
    assert.equal(site.tracking!.port, 9394);
    assert.match(String(site.secrets!.sessionKey), /^[\w-]{43}$/);
    if (database) {
      assert.equal(site.database!.url, database.url, 'the site config names the database given with --database');
      assert.equal(hasNoTablesSync(database.url), false, 'that database was migrated');
      assert.ok(!existsSync(join(first, 'var', 'herald.sqlite')), 'no SQLite file beside it');
    } else assert.ok(existsSync(join(first, 'var', 'herald.sqlite')), 'the database was migrated');
  });

  it('prints the console URL, the admin login and the next steps', () => {
    assert.match(installed.stdout, /Console: +http:\/\/127\.0\.0\.1:9393\//);
    assert.match(installed.stdout, /log in as admin with the one-time password printed above/);
    assert.match(installed.stdout, /one-time password .*: [A-Za-z2-9]{20}/);
    assert.match(installed.stdout, /Next steps/);
    assert.match(installed.stdout, /herald start --daemon/);
    assert.match(installed.stdout, /web\.publicUrl .*http:\/\/localhost:8080.* does not match/, 'links in mail would point at the wrong port: it says so');
  });

  it('installs a second checkout without repointing the herald command of the other one, saying how to choose', () => {
    assert.equal(installed.code, 0, installed.stderr);
    assert.equal(readlinkSync(join(bin, 'herald')), join(other, 'scripts', 'herald'), 'the command still runs the other checkout');
    assert.match(installed.stderr, new RegExp(`${bin}/herald runs the Herald installed in ${other}, not this checkout \\(${first}\\); it is left as it is`));
    assert.match(installed.stderr, /--replace/);
    assert.match(installed.stderr, /--bin-dir/);
    assert.ok(installed.stdout.includes(`${join(first, 'scripts', 'herald')} start --daemon`), "the next steps name this checkout's own command");
  });

  it('with --replace, run again, points the herald command at this checkout, which finds the settings without the variables', async () => {
    const before = readFileSync(join(first, 'config', 'herald.toml'), 'utf8');
    const again = await run('bash', [join(first, 'install.sh'), '--no-start', '--replace', '--bin-dir', bin], cleanEnv({ HOME: join(base, 'home') }), base);
    assert.equal(again.code, 0, `${again.stdout}\n${again.stderr}`);
    assert.equal(readFileSync(join(first, 'config', 'herald.toml'), 'utf8'), before, 'a second run keeps the site config as it is');
    const link = join(bin, 'herald');
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(readlinkSync(link), join(first, 'scripts', 'herald'));
    const port = await run(link, ['config', 'get', 'web.port'], cleanEnv({ HOME: join(base, 'home') }), base);
    assert.equal(port.stdout, '9393\n', port.stderr);
  });
});
