import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { DEFAULTS_FILE, envName, loadConfig } from '../../../server/shared/config/load.js';
import { configSchema } from '../../../server/shared/config/schema.js';
import { keyPaths, leaves } from '../../../server/shared/config/schema-kit.js';
import { maskSecrets, renderConfig } from '../../../server/shared/config/show.js';
import { ConfigError } from '../../../server/shared/errors.js';
import { secret } from '../../helpers/instance.js';

const SECRETS = () => `[secrets]\ntrackingKey = "${secret()}"\nsessionKey = "${secret()}"\nbounceKey = "${secret()}"\n`;

describe('config loading', () => {
  let dir: string;
  let site: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'herald-config-'));
    site = join(dir, 'herald.toml');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const load = (toml: string, env: NodeJS.ProcessEnv = {}, overrides: string[] = []) => {
    writeFileSync(site, toml);
    return loadConfig({ siteFile: site, env, overrides });
  };
  const failure = (toml: string, env: NodeJS.ProcessEnv = {}, overrides: string[] = []): ConfigError => {
    try {
      load(toml, env, overrides);
    } catch (err) {
      assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
      return err;
    }
    assert.fail('the config was accepted');
  };

  it('accepts a site file that only sets the secrets, and fills every other key from the defaults', () => {
    const { config } = load(SECRETS());
    assert.equal(config.web.port, 8080);
    assert.equal(config.database.dialect, 'sqlite');
    assert.equal(config.modules.web.autoStart, true);
    assert.ok(Object.isFrozen(config.web), 'the config is read-only');
  });

  const badConfigs: Array<{ case: string; toml: string; env?: NodeJS.ProcessEnv; set?: string[]; source: RegExp; key: string; reason: RegExp }> = [
    { case: 'an unknown top-level key', toml: `colour = "blue"\n${SECRETS()}`, source: /herald\.toml$/, key: 'colour', reason: /unknown key/ },
    { case: 'an unknown key in a section', toml: `${SECRETS()}[web]\nprot = 80\n`, source: /herald\.toml$/, key: 'web.prot', reason: /unknown key/ },
    { case: 'an unknown section', toml: `${SECRETS()}[webb]\nport = 80\n`, source: /herald\.toml$/, key: 'webb', reason: /unknown key/ },
    { case: 'a string where an integer is expected', toml: `${SECRETS()}[web]\nport = "80"\n`, source: /herald\.toml$/, key: 'web.port', reason: /expected an integer, got "80"/ },
    { case: 'an integer out of range', toml: `${SECRETS()}[web]\nport = 70000\n`, source: /herald\.toml$/, key: 'web.port', reason: /must be ≤ 65535/ },
    { case: 'a value outside an enumeration', toml: `${SECRETS()}[database]\ndialect = "oracle"\n`, source: /herald\.toml$/, key: 'database.dialect', reason: /one of "sqlite", "mssql", "postgres"/ },
    { case: 'a boolean given as a string', toml: `${SECRETS()}[modules.web]\nautoStart = "yes"\n`, source: /herald\.toml$/, key: 'modules.web.autoStart', reason: /true or false/ },
    { case: 'a table given as a value', toml: `web = 3\n${SECRETS()}`, source: /herald\.toml$/, key: 'web', reason: /expected a table/ },
    { case: 'a malformed URL', toml: `${SECRETS()}[web]\npublicUrl = "ftp://x"\n`, source: /herald\.toml$/, key: 'web.publicUrl', reason: /http\(s\) URL/ },
    { case: 'a bad instance name', toml: `instanceName = "My Instance"\n${SECRETS()}`, source: /herald\.toml$/, key: 'instanceName', reason: /lowercase/ },
    { case: 'a missing secret', toml: `[secrets]\ntrackingKey = "${secret()}"\nsessionKey = "${secret()}"\n`, source: /herald\.toml$/, key: 'secrets.bounceKey', reason: /missing secret/ },
    { case: 'a secret that is too short', toml: `[secrets]\ntrackingKey = "short"\nsessionKey = "${secret()}"\nbounceKey = "${secret()}"\n`, source: /herald\.toml$/, key: 'secrets.trackingKey', reason: /too short/ },
    { case: 'the same secret twice', toml: `[secrets]\ntrackingKey = "${'a'.repeat(40)}"\nsessionKey = "${'a'.repeat(40)}"\nbounceKey = "${secret()}"\n`, source: /herald\.toml$/, key: 'secrets', reason: /three different secrets/ },
    { case: 'a previous key equal to the current one', toml: `[secrets]\ntrackingKey = "${'t'.repeat(40)}"\nsessionKey = "${secret()}"\nbounceKey = "${secret()}"\npreviousTrackingKey = "${'t'.repeat(40)}"\n`, source: /herald\.toml$/, key: 'secrets.previousTrackingKey', reason: /must differ from the other secrets/ },
    { case: 'SQL Server without a password', toml: `${SECRETS()}[database]\ndialect = "mssql"\nuser = "herald"\n`, source: /herald\.toml$/, key: 'database.password', reason: /missing secret/ },
    { case: 'PostgreSQL without a user', toml: `${SECRETS()}[database]\ndialect = "postgres"\n`, source: /herald\.toml$/, key: 'database.user', reason: /required when dialect = "postgres"/ },
    { case: 'a database URL that is not a URL', toml: `${SECRETS()}[database]\nurl = "herald@db:5432"\n`, source: /herald\.toml$/, key: 'database.url', reason: /expected a URL such as postgres:\/\// },
    { case: 'a database URL of an unknown scheme', toml: `${SECRETS()}[database]\nurl = "mysql://u:p@db/herald"\n`, source: /herald\.toml$/, key: 'database.url', reason: /unsupported scheme "mysql"/ },
    { case: 'a database URL without a database', toml: `${SECRETS()}[database]\nurl = "postgres://u:p@db:5432"\n`, source: /herald\.toml$/, key: 'database.url', reason: /must name one database/ },
    { case: 'a database URL with a bad sslmode', toml: `${SECRETS()}[database]\nurl = "postgres://u:p@db/herald?sslmode=maybe"\n`, source: /herald\.toml$/, key: 'database.url', reason: /sslmode must be one of disable, require/ },
    { case: 'a database URL without a password', toml: `${SECRETS()}[database]\nurl = "postgres://u@db/herald"\n`, source: /herald\.toml$/, key: 'database.password', reason: /missing secret \(required when dialect = "postgres"\)/ },
    { case: 'a database URL from the environment with an unknown parameter', toml: SECRETS(), env: { HERALD_DATABASE__URL: 'postgres://u:p@db/herald?pool=3' }, source: /^environment HERALD_DATABASE__URL$/, key: 'database.url', reason: /unknown URL parameter "pool"/ },
    { case: 'a watchdog stop timeout shorter than the modules\' drain', toml: `${SECRETS()}[watchdog]\nstopTimeoutMs = 5000\n`, source: /herald\.toml$/, key: 'watchdog.stopTimeoutMs', reason: /greater than process\.shutdownTimeoutMs \(10000\)/ },
    { case: 'a memory alert threshold below the warning', toml: `${SECRETS()}[modules.mta]\nmemoryAlertMb = 512\n`, source: /herald\.toml$/, key: 'modules.mta.memoryAlertMb', reason: /greater than memoryWarningMb \(1024\)/ },
    { case: 'a daily restart time that is not HH:MM', toml: `${SECRETS()}[modules.web]\nprocessRestartTime = "6:00"\n`, source: /herald\.toml$/, key: 'modules.web.processRestartTime', reason: /"HH:MM"/ },
    {
      case: 'a relay password that would travel in clear',
      toml: `${SECRETS()}[mta]\nrelayHost = "relay.example.net"\nrelayUser = "herald"\nrelayPassword = "${'p'.repeat(20)}"\ntls = "disabled"\n`,
      source: /herald\.toml$/,
      key: 'mta.tls',
      reason: /would send the relay password \(relayUser\) in clear/,
    },
    { case: 'a stat server without its key', toml: `${SECRETS()}[mta]\nstatServer = "127.0.0.1:7790"\n`, source: /herald\.toml$/, key: 'secrets.statKey', reason: /required when mta\.statServer is set/ },
    { case: 'the stat module switched on without its key', toml: `${SECRETS()}[modules.stat]\nautoStart = true\n`, source: /herald\.toml$/, key: 'secrets.statKey', reason: /required when modules\.stat\.autoStart/ },
    { case: 'a stat server address without its port', toml: `${SECRETS()}[mta]\nstatServer = "stat.example.net"\n`, source: /herald\.toml$/, key: 'mta.statServer', reason: /"host:port" or ""/ },
    { case: 'a route with an unknown TLS mode', toml: `${SECRETS()}[[mta.routes]]\ndomain = "x.test"\nhosts = ["mx:25"]\ntls = "always"\n`, source: /herald\.toml$/, key: 'mta.routes[0].tls', reason: /one of "", "opportunistic"/ },
    {
      case: 'a bounce mailbox without its password',
      toml: `${SECRETS()}[[inmail.mailboxes]]\nname = "b"\nprotocol = "imap"\nhost = "imap.example.com"\nuser = "b"\n`,
      source: /herald\.toml$/,
      key: 'inmail.mailboxes[0].password',
      reason: /missing key/,
    },
    {
      case: 'a bounce mailbox read in clear over the network',
      toml: `${SECRETS()}[[inmail.mailboxes]]\nname = "b"\nprotocol = "pop3"\nhost = "pop.example.com"\ntls = "none"\nuser = "b"\npassword = "p"\n`,
      source: /herald\.toml$/,
      key: 'inmail.mailboxes[0].tls',
      reason: /password would cross the network in clear/,
    },
    {
      case: 'two bounce mailboxes of the same name',
      toml: `${SECRETS()}${['a', 'b'].map((u) => `[[inmail.mailboxes]]\nname = "bounces"\nprotocol = "imap"\nhost = "imap.example.com"\nuser = "${u}"\npassword = "p"\n`).join('')}`,
      source: /herald\.toml$/,
      key: 'inmail.mailboxes[1].name',
      reason: /a second mailbox named "bounces"/,
    },
    {
      case: 'a bounce mailbox moving messages into the folder it reads',
      toml: `${SECRETS()}[[inmail.mailboxes]]\nname = "b"\nprotocol = "imap"\nhost = "imap.example.com"\nuser = "b"\npassword = "p"\nprocessedFolder = "INBOX"\n`,
      source: /herald\.toml$/,
      key: 'inmail.mailboxes[0].processedFolder',
      reason: /other than the one read/,
    },
    { case: 'invalid TOML', toml: `${SECRETS()}[web\nport = 1\n`, source: /herald\.toml$/, key: 'line 5', reason: /invalid TOML/ },
    { case: 'a bad environment value', toml: SECRETS(), env: { HERALD_WEB__PORT: 'eighty' }, source: /^environment HERALD_WEB__PORT$/, key: 'web.port', reason: /expected an integer, got "eighty"/ },
    { case: 'an unknown environment variable', toml: SECRETS(), env: { HERALD_WEB__PROT: '1' }, source: /^environment HERALD_WEB__PROT$/, key: 'HERALD_WEB__PROT', reason: /unknown variable/ },
    { case: 'a bad --set value', toml: SECRETS(), set: ['log.level=loud'], source: /^--set log\.level$/, key: 'log.level', reason: /one of "error"/ },
    { case: 'an unknown --set key', toml: SECRETS(), set: ['log.colour=red'], source: /^--set log\.colour$/, key: 'log.colour', reason: /unknown key/ },
    { case: 'the rules file still set in [inmail]', toml: `${SECRETS()}[inmail]\nrulesFile = "my-rules.conf"\n`, source: /herald\.toml$/, key: 'inmail.rulesFile', reason: /moved: set rulesFile in \[bounce\] instead \(bounce\.rulesFile\)/ },
    { case: 'the rules file still set in the environment the old way', toml: SECRETS(), env: { HERALD_INMAIL__RULES_FILE: 'x.conf' }, source: /^environment HERALD_INMAIL__RULES_FILE$/, key: 'HERALD_INMAIL__RULES_FILE', reason: /moved: use HERALD_BOUNCE__RULES_FILE instead/ },
    { case: 'the rules file still --set the old way', toml: SECRETS(), set: ['inmail.rulesFile=x.conf'], source: /^--set inmail\.rulesFile$/, key: 'inmail.rulesFile', reason: /moved: set rulesFile in \[bounce\]/ },
  ];

  for (const bad of badConfigs) {
    it(`rejects ${bad.case}, naming the source, the key and the reason`, () => {
      const err = failure(bad.toml, bad.env, bad.set);
      assert.match(err.source, bad.source);
      assert.equal(err.key, bad.key);
      assert.match(err.reason, bad.reason);
      assert.equal(err.hints.exitCode, 78);
      assert.ok(!err.message.includes('\n'), 'the error is one line');
    });
  }

  it('fills a bounce mailbox\'s optional keys with their documented defaults', () => {
    const { config } = load(`${SECRETS()}[[inmail.mailboxes]]\nname = "bounces"\nprotocol = "pop3"\nhost = "pop.example.com"\nuser = "b"\npassword = "p"\n`);
    assert.deepEqual(config.inmail.mailboxes, [
      {
        name: 'bounces',
        protocol: 'pop3',
        host: 'pop.example.com',
        port: 0,
        tls: 'implicit',
        verifyCertificate: true,
        caFile: '',
        user: 'b',
        password: 'p',
        folder: 'INBOX',
        processedFolder: 'Processed',
        unrecognisedFolder: 'Unrecognised',
        idle: true,
        pollSeconds: 60,
        batchSize: 500,
        timeoutSeconds: 60,
      },
    ]);
  });

  it('rejects a missing site file with the path and what to do', () => {
    const err = (() => {
      try {
        loadConfig({ siteFile: join(dir, 'absent.toml'), env: {} });
      } catch (e) {
        return e as ConfigError;
      }
      assert.fail('accepted');
    })();
    assert.match(err.source, /absent\.toml$/);
    assert.match(err.reason, /file not found.*install\.sh/);
  });

  it('counts the other problems in the one-line error', () => {
    const err = failure(`${SECRETS()}[web]\nport = "x"\nhost = 3\n`);
    assert.match(err.reason, /\(and 1 more problem\)$/);
  });

  it('layers defaults < site file < environment < --set', () => {
    const toml = `${SECRETS()}[web]\nport = 9000\nhost = "0.0.0.0"\n[log]\nlevel = "warn"\n`;
    const { config } = load(toml, { HERALD_WEB__PORT: '9001', HERALD_LOG__LEVEL: 'debug', HERALD_MODULES__WEB__AUTO_START: 'false' }, ['web.port=9002']);
    assert.equal(config.web.port, 9002, '--set wins over the environment');
    assert.equal(config.log.level, 'debug', 'the environment wins over the site file');
    assert.equal(config.web.host, '0.0.0.0', 'the site file wins over the defaults');
    assert.equal(config.modules.web.autoStart, false, 'booleans come from the environment');
    assert.equal(config.database.trustServerCertificate, false, 'defaults fill the rest');
  });

  const urls: Array<{ url: string; expect: Record<string, unknown> }> = [
    {
      url: 'postgres://herald:s%40cret@db.example.net:6432/campaigns?sslmode=disable',
      expect: { dialect: 'postgres', host: 'db.example.net', port: 6432, name: 'campaigns', user: 'herald', password: 's@cret', encrypt: false },
    },
    { url: 'postgresql://herald:pw@10.0.0.5/herald', expect: { dialect: 'postgres', host: '10.0.0.5', port: 5432, name: 'herald', encrypt: true, trustServerCertificate: false } },
    { url: 'postgres://herald:pw@db/herald?sslmode=require', expect: { encrypt: true, trustServerCertificate: true } },
    { url: 'mssql://sa:pw@sql.example.net/herald?trustServerCertificate=true', expect: { dialect: 'mssql', port: 1433, trustServerCertificate: true, encrypt: true } },
  ];
  for (const { url, expect } of urls) {
    it(`fills the connection keys from database.url ${url.replace(/:[^:@/]+@/, ':…@')}`, () => {
      const { config } = load(`${SECRETS()}[database]\nurl = "${url}"\n`);
      assert.deepEqual(Object.fromEntries(Object.keys(expect).map((k) => [k, (config.database as Record<string, unknown>)[k]])), expect);
    });
  }

  it('uses the standard port of a networked dialect when port is 0', () => {
    const { config } = load(`${SECRETS()}[database]\ndialect = "postgres"\nuser = "h"\npassword = "p"\n`);
    assert.equal(config.database.port, 5432);
    assert.equal(load(`${SECRETS()}[database]\ndialect = "mssql"\nuser = "h"\npassword = "p"\nport = 14330\n`).config.database.port, 14330);
  });

  it('reads the bounce rules file from [bounce]', () => {
    assert.equal(load(SECRETS()).config.bounce.rulesFile, 'config/bounce-rules.conf');
    assert.equal(load(`${SECRETS()}[bounce]\nrulesFile = "/etc/herald/rules.conf"\n`).config.bounce.rulesFile, '/etc/herald/rules.conf');
  });

  it('ignores the reserved HERALD_CONFIG and HERALD_TEST_* variables', () => {
    assert.doesNotThrow(() => load(SECRETS(), { HERALD_CONFIG: '/elsewhere', HERALD_TEST_MSSQL: 'mssql://x' }));
  });

  it('names environment variables after the key path', () => {
    assert.equal(envName('web.port'), 'HERALD_WEB__PORT');
    assert.equal(envName('modules.web.autoStart'), 'HERALD_MODULES__WEB__AUTO_START');
    assert.equal(envName('database.trustServerCertificate'), 'HERALD_DATABASE__TRUST_SERVER_CERTIFICATE');
  });
});

describe('the defaults file', () => {
  const text = readFileSync(DEFAULTS_FILE, 'utf8');

  it('lists every key of the schema and nothing else', () => {
    const defaults = parse(text);
    const keysOf = (value: unknown, prefix = ''): string[] =>
      Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
        typeof v === 'object' && v !== null && !Array.isArray(v) ? keysOf(v, `${prefix}${k}.`) : [`${prefix}${k}`],
      );
    const present = keysOf(defaults);
    const unknown = present.filter((k) => !keyPaths(configSchema).includes(k));
    const missing = leaves(configSchema).map((l) => l.path).filter((k) => !present.includes(k));
    assert.deepEqual({ unknown, missing }, { unknown: [], missing: [] }, 'lists of tables ([[…]]) may be left out: they default to empty');
  });

  it('has a one-line comment right above every key', () => {
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      if (/^[A-Za-z][\w]* = /.test(line) || /^\[\[/.test(line)) assert.match(lines[i - 1] ?? '', /^# \S/, `key on line ${i + 1} has no comment above it: ${line}`);
    });
  });

  it('leaves every secret empty, so that install.sh must generate them', () => {
    const defaults = parse(text) as { secrets: Record<string, string> };
    for (const value of Object.values(defaults.secrets)) assert.equal(value, '');
  });
});

describe('config show', () => {
  it('masks every secret and shows everything else', () => {
    const dir = mkdtempSync(join(tmpdir(), 'herald-config-'));
    try {
      const site = join(dir, 'herald.toml');
      const key = secret();
      writeFileSync(site, `${SECRETS().replace(/trackingKey = "[^"]+"/, `trackingKey = "${key}"`)}[database]\npassword = "hunter2hunter2"\n`);
      const { config } = loadConfig({ siteFile: site, env: {} });
      const shown = renderConfig(config);
      assert.ok(!shown.includes(key), 'the tracking key is not shown');
      assert.ok(!shown.includes('hunter2'), 'the database password is not shown');
      assert.match(shown, /trackingKey = "\*{8}"/);
      assert.match(shown, /port = 8080/);
      const masked = maskSecrets(config) as { database: { password: string; user: string } };
      assert.equal(masked.database.password, '********');
      assert.equal(masked.database.user, '', 'an empty non-secret stays empty');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
