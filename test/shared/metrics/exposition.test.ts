import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import type { Database } from '../../../server/db/connect.js';
import { createNewDelivery, startDelivery } from '../../../server/delivery/actions.js';
import { analyseDelivery, type DeliveryDeps } from '../../../server/delivery/analyse.js';
import { APP_ROOT } from '../../../server/shared/app-root.js';
import { MODULE_NAMES } from '../../../server/shared/config/schema.js';
import { FAILURE_REASONS, FAILURE_TYPES, TRACKING_URL_TYPES } from '../../../server/shared/glossary.js';
import { silentLogger } from '../../../server/shared/logger.js';
import { TECHNICAL_WORKFLOWS } from '../../../server/workflows/technical/registry.js';
import { herald } from '../../helpers/cli.js';
import { createInstance, openTestDb, secret, type TestInstance } from '../../helpers/instance.js';
import { startedDelivery, until } from '../../helpers/mta.js';
import { startSmsc, type Smsc } from '../../helpers/smsc.js';
import { startSmtpServer, type TestSmtpServer } from '../../helpers/smtp-server.js';
import { openLink } from '../../helpers/tracking.js';
import { killTree, startWatchdog, watchdogToml, type WatchdogProcess } from '../../helpers/watchdog.js';
import { parseExposition, type Sample } from './parse-exposition.js';

/**
 * Every module's exposition, read with `herald metrics <module>` from a real install (the watchdog
 * and its seven modules, a real MX, real HTTP, SMTP and tracking traffic), is accepted by
 * `promtool check metrics` (Debian's prometheus package; .ci/run installs it) and keeps its
 * labels bounded: only the label names and values of the catalogue below, never a recipient, an
 * address, a URL or a raw path — however many different ones the traffic had.
 */

const PROMTOOL = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((p) => existsSync(p));
const MODULES = ['watchdog', ...MODULE_NAMES] as const;

/** Allowed values of each label (a function: values read from the config). */
const LABELS: Record<string, (value: string) => boolean> = {
  module: (v) => (MODULES as readonly string[]).includes(v),
  supervised: (v) => (MODULE_NAMES as readonly string[]).includes(v),
  // the install's one instance (instances.test.ts reads the watchdog's exposition with two)
  herald_instance: (v) => v === 'herald',
  condition: (v) => ['running', 'not ready', 'crash-looping', 'blocked', 'stopped'].includes(v),
  rule: (v) => v === '*' || v === 'gmail.test',
  reason: (v) => (FAILURE_REASONS as readonly string[]).includes(v),
  type: (v) => [...FAILURE_TYPES, ...TRACKING_URL_TYPES].includes(v as never),
  state: (v) => ['due', 'waiting', 'busy', 'idle', 'starting', 'ready', 'stopping', 'backoff', 'crash-looping', 'stopped'].includes(v),
  outcome: (v) => ['accepted', 'refused'].includes(v),
  connector: (v) => v === 'op',
  result: (v) => ['accepted', 'throttled', 'rejected'].includes(v),
  route: (v) => v === 'unmatched' || (v.startsWith('/') && !v.includes('zz-raw')),
  method: (v) => ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'OTHER'].includes(v),
  status: (v) => /^[1-5]xx$/.test(v) || ['succeeded', 'failed'].includes(v),
  workflow: (v) => v === 'marketing' || v in TECHNICAL_WORKFLOWS,
  // histogram buckets, and prom-client's process metrics (Node version, GC kind, heap space, resource type)
  le: (v) => v === '+Inf' || Number.isFinite(Number(v)),
  version: (v) => /^v\d+\.\d+\.\d+$/.test(v),
  major: (v) => /^\d+$/.test(v),
  minor: (v) => /^\d+$/.test(v),
  patch: (v) => /^\d+$/.test(v),
  kind: (v) => ['major', 'minor', 'incremental', 'weakcb'].includes(v),
  space: (v) => /^[a-z_]+$/.test(v),
};

/** Labels of prom-client's process metrics whose values Node itself bounds. */
const NODE_LABELS: Record<string, (value: string) => boolean> = {
  'nodejs_active_resources type': (v) => /^[A-Za-z]+$/.test(v),
  'nodejs_active_handles type': (v) => /^[A-Za-z]+$/.test(v),
  'nodejs_active_requests type': (v) => /^[A-Za-z]+$/.test(v),
};

function promtool(text: string): { status: number | null; output: string } {
  const run = spawnSync(PROMTOOL!, ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

function smtpSession(port: number, lines: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let said = '';
    let step = 0;
    socket.on('data', (d) => {
      said += d.toString();
      if (step < lines.length && /\r\n$/.test(said)) socket.write(`${lines[step++]}\r\n`);
    });
    socket.on('close', () => resolve(said));
    socket.on('error', reject);
  });
}

describe('metrics exposition of every module', function () {
  this.timeout(240_000);
  let instance: TestInstance;
  let db: Database;
  let mx: TestSmtpServer;
  let wd: WatchdogProcess | undefined;
  let smsc: Smsc | undefined;
  const expositions = new Map<string, string>();

  before(async function () {
    if (!PROMTOOL) {
      if (process.env.HERALD_TEST_REQUIRE_PROMTOOL === '1') throw new Error('promtool is missing (Debian package prometheus)');
      this.skip();
    }
    mx = await startSmtpServer({
      rcpt: (address) =>
        address.startsWith('gone')
          ? { code: 550, message: '5.1.1 user unknown' }
          : address.startsWith('full')
            ? { code: 452, message: '4.2.2 mailbox full' }
            : undefined,
    });
    smsc = await startSmsc();
    instance = createInstance('', { statKey: secret() });
    const site = [
      readFileSync(instance.siteFile, 'utf8'),
      '[web]',
      'port = 0',
      '[tracking]',
      'port = 0',
      '[inmail]',
      'port = 0',
      '[stat]',
      'port = 0',
      '[mta]',
      'transport = "smtp"',
      'tls = "disabled"',
      'idlePollMs = 100',
      'commitIntervalMs = 20',
      '[[mta.routes]]',
      'domain = "*"',
      `hosts = ["127.0.0.1:${mx.port}"]`,
      '[[mta.domainRules]]',
      'match = "gmail.test"',
      'shared = true',
      'maxConnections = 2',
      'maxMessagesPerConnection = 100',
      'messagesPerHour = 0',
      '[[mta.domainRules]]',
      'match = "*"',
      'shared = false',
      'maxConnections = 10',
      'maxMessagesPerConnection = 1000',
      'messagesPerHour = 0',
      '[sms]',
      'idlePollMs = 100',
      'commitIntervalMs = 20',
      '[[sms.connectors]]',
      'name = "op"',
      'host = "127.0.0.1"',
      `port = ${smsc.port}`,
      'systemId = "herald"',
      'password = "secret"',
      'sourceAddress = "36111"',
      watchdogToml({ web: {}, tracking: {}, stat: {}, mta: {}, inmail: {}, wfserver: {}, sms: {}, push: {} }),
    ].join('\n');
    writeFileSync(instance.siteFile, site);
    db = await openTestDb(instance);
    wd = startWatchdog(instance);
    const ready = await wd.waitFor('every module ready', (s) => MODULE_NAMES.every((m) => wd!.module(s, m).state === 'ready'), 180_000);
    const port = (m: string) => wd!.module(ready, m).details!.port as number;

    // Traffic: messages sent, failed and deferred; web pages under many raw paths; opens; an SMTP session with a refused and a taken message.
    const deliveryId = await startedDelivery(db, instance, ['ann@gmail.test', 'gone@example.test', 'full@example.test', 'bob@example.test']);
    await until(
      async () => (await db.models.BroadLog.count({ where: { deliveryId, status: 'pending', attempts: 0 } })) === 0,
      60_000,
      'every message attempted',
    );
    for (let i = 0; i < 30; i++) await fetch(`http://127.0.0.1:${port('web')}/recipients/${1000 + i}?zz-raw=${i}`, { redirect: 'manual' });
    for (let i = 0; i < 30; i++) await fetch(`http://127.0.0.1:${port('web')}/zz-raw-${i}/page`, { redirect: 'manual' });
    await fetch(`http://127.0.0.1:${port('web')}/health`);
    const key = instance.config.secrets.trackingKey;
    for (let i = 1; i <= 5; i++) await fetch(openLink(`http://127.0.0.1:${port('tracking')}`, key, { deliveryId, broadLogId: i, urlId: 1 }));
    const bounceTo = `bounce@${instance.config.mail.bounceDomain}`;
    const said = await smtpSession(port('inmail'), [
      'EHLO mx.example.test',
      'MAIL FROM:<>',
      'RCPT TO:<someone@elsewhere.test>',
      `RCPT TO:<${bounceTo}>`,
      'DATA',
      'Subject: out of office\r\n\r\nI am away.\r\n.',
      'QUIT',
    ]);
    assert.match(said, /250 Ok: queued/);
    await sendSms();

    for (const module of MODULES) {
      const out = await herald(['metrics', module], instance.env);
      assert.equal(out.code, 0, `herald metrics ${module}: ${out.stderr}`);
      expositions.set(module, out.stdout);
    }
  });
  after(async () => {
    await killTree(wd);
    await db?.close();
    await mx?.close();
    await smsc?.close();
    instance?.cleanup();
  });

  /** One SMS to one mobile, sent by the sms module to the SMSC, its receipt stored. */
  async function sendSms(): Promise<void> {
    const now = new Date();
    await db.models.Recipient.create({ email: 'sam@example.test', mobile: '+33612345601', firstName: 'Sam', createdAt: now, updatedAt: now } as never);
    const deps: DeliveryDeps = { db, config: instance.config, log: silentLogger(), dkim: [] };
    const d = await createNewDelivery(deps, {
      internalName: 'smsmetrics',
      label: 'SMS',
      kind: 'transactional',
      channel: 'sms',
      subject: '',
      fromName: null,
      fromAddress: '',
      replyTo: null,
      html: null,
      text: 'Your code is 1234',
      headers: {},
      target: { kind: 'all' },
      exclusions: { duplicates: true, denylisted: true, quarantined: true, limit: null },
      serviceId: null,
      trackingEnabled: false,
      openTracking: false,
      scheduledAt: null,
      validityEnd: null,
    });
    const report = await analyseDelivery(deps, d.id);
    assert.equal(report.state, 'ready', JSON.stringify(report.issues));
    await startDelivery(deps, d.id, new Date());
    await until(async () => smsc!.receiptsAcked === 1, 60_000, 'the SMS sent and its receipt stored');
  }

  for (const module of MODULES) {
    it(`promtool check metrics accepts the exposition of ${module}`, () => {
      const { status, output } = promtool(expositions.get(module)!);
      assert.equal(status, 0, output);
    });
  }

  it('keeps every label to its catalogue: no recipient, address, URL or raw path', () => {
    for (const [module, text] of expositions) {
      for (const sample of parseExposition(text)) {
        for (const [name, value] of Object.entries(sample.labels)) {
          const allowed = NODE_LABELS[`${sample.name} ${name}`] ?? LABELS[name];
          assert.ok(allowed, `${module}: ${sample.name} has a label outside the catalogue: ${name}="${value}"`);
          assert.ok(allowed(value), `${module}: ${sample.name}{${name}="${value}"} is not an allowed value`);
        }
        assert.equal(sample.labels.module, module, `${module}: ${sample.name} carries module="${sample.labels.module}"`);
      }
    }
  });

  it('names every Herald series after its module and unit, counters ending in _total', () => {
    for (const [module, text] of expositions) {
      const families = new Map<string, string>();
      for (const line of text.split('\n')) {
        const m = /^# TYPE (\S+) (\S+)$/.exec(line);
        if (m) families.set(m[1]!, m[2]!);
      }
      for (const [name, type] of families) {
        if (!name.startsWith('herald_')) continue;
        assert.ok(name.startsWith(`herald_${module}_`), `${module}: ${name} is not named herald_${module}_…`);
        if (type === 'counter') assert.match(name, /_total$/, name);
        else assert.doesNotMatch(name, /_total$/, name);
        if (type === 'histogram') assert.match(name, /_seconds$|_bytes$/, name);
      }
    }
  });

  const value = (module: string, name: string, labels: Record<string, string> = {}): number => {
    const found = parseExposition(expositions.get(module)!).filter(
      (s: Sample) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
    );
    return found.reduce((sum, s) => sum + s.value, 0);
  };

  it('counts what the traffic did in each module', () => {
    const cases: Array<[string, string, Record<string, string>, number]> = [
      ['mta', 'herald_mta_messages_sent_total', { rule: 'gmail.test' }, 1],
      ['mta', 'herald_mta_messages_sent_total', { rule: '*' }, 1],
      ['mta', 'herald_mta_messages_failed_total', { rule: '*', reason: 'user_unknown' }, 1],
      ['mta', 'herald_mta_messages_deferred_total', { rule: '*', reason: 'mailbox_full' }, 1],
      ['mta', 'herald_mta_queue_messages', { state: 'waiting' }, 1],
      ['tracking', 'herald_tracking_hits_total', { type: 'open' }, 5],
      ['inmail', 'herald_inmail_smtp_sessions_total', {}, 1],
      ['inmail', 'herald_inmail_messages_received_total', { outcome: 'accepted' }, 1],
      ['watchdog', 'herald_watchdog_module_state', { herald_instance: 'herald', supervised: 'mta', state: 'ready' }, 1],
      ['watchdog', 'herald_watchdog_module_restarts_total', { herald_instance: 'herald', supervised: 'mta' }, 0],
      ['web', 'herald_web_http_request_duration_seconds_count', { route: '/health', method: 'GET', status: '2xx' }, 1],
      ['sms', 'herald_sms_messages_sent_total', {}, 1],
      ['sms', 'herald_sms_receipts_total', {}, 1],
      ['sms', 'herald_sms_connector_bound', { connector: 'op' }, 1],
      ['sms', 'herald_sms_connector_submits_total', { connector: 'op', result: 'accepted' }, 1],
    ];
    for (const [module, name, labels, expected] of cases) {
      const what = `${module} ${name} ${JSON.stringify(labels)}`;
      // a deferred message may have had its quick retry already
      if (name.endsWith('_deferred_total')) assert.ok(value(module, name, labels) >= expected, what);
      else assert.equal(value(module, name, labels), expected, what);
    }
    assert.ok(value('web', 'process_resident_memory_bytes') > 0, 'process metrics are in');
  });

  it('folds raw paths into route patterns: 60 different paths add at most two route values', () => {
    const routes = new Set(
      parseExposition(expositions.get('web')!)
        .filter((s) => s.name.startsWith('herald_web_http'))
        .map((s) => s.labels.route),
    );
    assert.ok(routes.has('/recipients/:id') || [...routes].some((r) => r?.startsWith('/recipients/:')), [...routes].join(' '));
    assert.ok(routes.has('unmatched'), [...routes].join(' '));
    assert.ok(routes.size <= 4, [...routes].join(' '));
  });

  it('ships alert rules promtool accepts, and a dashboard and rules that use only metrics the modules expose', () => {
    const rules = spawnSync(PROMTOOL!, ['check', 'rules', join(APP_ROOT, 'scripts/monitoring/herald-alerts.yml')], { encoding: 'utf8' });
    assert.equal(rules.status, 0, `${rules.stdout}${rules.stderr}`);
    const families = [...expositions.values()].flatMap((text) => [...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!));
    const exposed = new Set(families.flatMap((name) => [name, `${name}_bucket`, `${name}_count`, `${name}_sum`]));
    for (const file of ['scripts/monitoring/herald-alerts.yml', 'scripts/monitoring/grafana-dashboard.json']) {
      const used = new Set(readFileSync(join(APP_ROOT, file), 'utf8').match(/\b(herald|nodejs|process)_[a-z0-9_]+/g));
      used.delete('herald_instance'); // a label, not a metric
      for (const name of used) assert.ok(exposed.has(name), `${file} uses ${name}, which no module exposes`);
    }
  });

  it('prints every running module after a header line when no module is named', async () => {
    const out = await herald(['metrics'], instance.env);
    assert.equal(out.code, 0, out.stderr);
    const headers = [...out.stdout.matchAll(/^# herald module: (\S+) \(port \d+\)$/gm)].map((m) => m[1]);
    assert.deepEqual([...headers].sort(), [...MODULES].sort());
  });
});
