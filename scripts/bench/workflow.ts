import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Op } from 'sequelize';
import type { Database } from '../../server/db/connect.js';
import { fromRoot } from '../../server/shared/app-root.js';
import { encodeTrackingToken } from '../../server/shared/tokens.js';
import { freePort } from './free-port.js';
import { benchInstance, peakRssMb, processPeakRssMb, type BenchInstance } from './instance.js';
import { seedBenchRecipients } from './seed-recipients.js';
import { requirePostfixTools, startSink, type Sink } from './smtp-sink.js';

/**
 * `bench workflow --recipients N`: an A/B test built as a marketing workflow, end to end on the
 * embedded database, every Herald part a process of the build in dist/ (`herald mta`, `herald
 * tracking`, `herald wfserver`, `herald workflow …`): query → split 10 % / 10 % / 80 % → A's and B's
 * deliveries analysed, started and sent by the MTA to Postfix's smtp-sink → opens of both through
 * the tracking server (a browser's user agent; more of B's), ingested by the tracking workflow →
 * the workflow server resumes the Wait, picks the winner on unique opens and sends it to the rest.
 * `sent` counts the messages the sink received; the run fails unless every recipient was sent
 * exactly one message over the three deliveries. `peak_rss_mb` is the highest of every process
 * (this one included). `seconds` runs from the first wave to the last message sent.
 */

const WORKFLOW = 'ab-bench';
const SHARE = { A: 0.025, B: 0.05 }; // fraction of each variant's recipients who open: B wins

function template(variant: 'a' | 'b') {
  return {
    internalName: `bench-${variant}`,
    label: `Spring news (${variant.toUpperCase()})`,
    isTemplate: true,
    subject: variant === 'a' ? 'Spring news for <%= recipient.firstName %>' : '<%= recipient.firstName %>, spring is here',
    fromName: 'Example Shop',
    fromAddress: 'news@example.org',
    html: `<p>Hello <%= recipient.firstName %>,</p><p><a href="https://shop.example.com/spring?v=${variant}">Spring sale</a></p><p><a href="<%= links.unsubscribe %>">Unsubscribe</a></p>`,
    text: `Hello <%= recipient.firstName %>\nSpring sale: https://shop.example.com/spring?v=${variant}\nUnsubscribe: <%= links.unsubscribe %>\n`,
  };
}

const definition = {
  name: WORKFLOW,
  label: 'A/B benchmark',
  definition: {
    activities: [
      // run by `herald workflow run`; the yearly schedule never fires during the benchmark
      { id: 'entry', type: 'scheduler', cron: '0 0 1 1 *', next: 'everyone' },
      { id: 'everyone', type: 'query', where: { field: 'email', op: 'endsWith', value: '@bench.test' }, next: 'split' },
      {
        id: 'split',
        type: 'split',
        segments: [
          { name: 'A', percent: 10, next: 'sendA' },
          { name: 'B', percent: 10, next: 'sendB' },
        ],
        remainder: 'wait',
      },
      { id: 'sendA', type: 'delivery', template: 'bench-a', next: 'done' },
      { id: 'sendB', type: 'delivery', template: 'bench-b', next: 'done' },
      { id: 'wait', type: 'wait', duration: '1s', next: 'pick' },
      { id: 'pick', type: 'abWinner', a: 'sendA', b: 'sendB', criterion: 'opens', next: 'done' },
      { id: 'done', type: 'end' },
    ],
  },
};

const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';

/** Herald processes from the build, with their peak RSS sampled while they live. */
class Processes {
  private readonly live = new Set<ChildProcess>();
  private peak = 0;
  private readonly timer = setInterval(() => this.sample(), 250);
  constructor(private readonly siteFile: string) {
    if (!existsSync(fromRoot('dist/server/cli/main.js'))) throw new Error('no build in dist/: run npm run build first');
  }
  sample(): void {
    for (const child of this.live) this.peak = Math.max(this.peak, processPeakRssMb(child.pid!));
  }
  get peakMb(): number {
    this.sample();
    return this.peak;
  }
  start(args: string[]): ChildProcess {
    const child = spawn(process.execPath, [fromRoot('dist/server/cli/main.js'), ...args], {
      cwd: fromRoot('.'),
      env: { ...process.env, HERALD_CONFIG: this.siteFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (d: Buffer) => (output = (output + d.toString()).slice(-4000));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.on('exit', () => {
      this.sample();
      this.live.delete(child);
    });
    this.live.add(child);
    Object.defineProperty(child, 'output', { get: () => output });
    return child;
  }
  /** Runs a `herald` command to its end; throws with its output if it fails. */
  async run(args: string[]): Promise<void> {
    const child = this.start(args);
    const [code] = (await once(child, 'exit')) as [number | null];
    if (code !== 0) throw new Error(`herald ${args.join(' ')} exited with ${code}: ${(child as unknown as { output: string }).output}`);
  }
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.sample();
    for (const child of this.live) {
      child.kill('SIGTERM');
      await Promise.race([once(child, 'exit'), sleep(10_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }
}

async function until(what: string, check: () => Promise<boolean>, seconds = 1800): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(500);
  }
}

async function deliveryOf(db: Database, workflowId: number, activity: string): Promise<{ id: number; toDeliver: number }> {
  const d = await db.models.Delivery.findOne({ where: { internalName: { [Op.like]: `wf${workflowId}-%-${activity}` }, isTemplate: false } });
  if (!d) throw new Error(`the workflow created no delivery for ${activity}`);
  return { id: d.id, toDeliver: d.toDeliver ?? 0 };
}

/** Every message of the delivery handed to the sink and recorded (broad logs all `sent`). */
async function allSent(db: Database, deliveryId: number, toDeliver: number): Promise<boolean> {
  return (await db.models.BroadLog.count({ where: { deliveryId, status: 'sent' } })) >= toDeliver;
}

/** Opens `share` of a delivery's messages the way a mail client does: its pixel from the tracking server. */
async function openShare(instance: BenchInstance, base: string, deliveryId: number, share: number): Promise<number> {
  const openUrl = await instance.db.models.TrackingUrl.findOne({ where: { deliveryId, type: 'open' } });
  if (!openUrl) throw new Error(`delivery ${deliveryId} has no open pixel`);
  const logs = await instance.db.models.BroadLog.findAll({ where: { deliveryId }, attributes: ['id'], order: [['id', 'ASC']], raw: true });
  const step = Math.round(1 / share);
  const ids = logs.filter((_, i) => i % step === 0).map((l) => l.id);
  const key = instance.config.secrets.trackingKey;
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const broadLogId = ids[next++]!;
      const res = await fetch(`${base}/o/${encodeTrackingToken(key, { deliveryId, broadLogId, urlId: openUrl.id })}`, { headers: { 'user-agent': BROWSER } });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`the open pixel answered ${res.status}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return ids.length;
}

async function waitUp(url: string): Promise<void> {
  await until(
    `${url} to answer`,
    () =>
      fetch(url).then(
        () => true,
        () => false,
      ),
    60,
  );
}

export async function benchWorkflow(options: { recipients: number }): Promise<Record<string, unknown>> {
  requirePostfixTools();
  const sink: Sink = await startSink();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const instance = await benchInstance(
    [
      `[mta]\ntransport = "smtp"\ntls = "disabled"\nheloName = "bench.local"`,
      `[[mta.routes]]\ndomain = "*"\nhosts = ["127.0.0.1:${sink.port}"]`,
      `[[mta.domainRules]]\nmatch = "*"\nshared = false\nmaxConnections = 10\nmaxMessagesPerConnection = 100000\nmessagesPerHour = 0`,
      `[tracking]\nhost = "127.0.0.1"\nport = ${port}\npublicUrl = "${base}"\nservers = ["${base}"]`,
      `[wfserver]\npollSeconds = 2`,
    ].join('\n'),
  );
  const herald = new Processes(instance.siteFile);
  try {
    const { db } = instance;
    process.stderr.write(`seeding ${options.recipients} recipients…\n`);
    await seedBenchRecipients(db, options.recipients);
    await db.write((transaction) => db.models.Delivery.bulkCreate([template('a'), template('b')], { transaction }));
    const file = join(instance.dir, 'ab-bench.json');
    writeFileSync(file, JSON.stringify(definition));
    await herald.run(['workflow', 'save', file]);
    await herald.run(['workflow', 'start', WORKFLOW]);
    herald.start(['mta']);
    herald.start(['tracking']);
    await waitUp(`${base}/o/x`);
    const workflowId = (await db.models.Workflow.findOne({ where: { name: WORKFLOW } }))!.id;

    const started = process.hrtime.bigint();
    process.stderr.write('first wave: query, split, A and B analysed and started…\n');
    await herald.run(['workflow', 'run', WORKFLOW]);
    const a = await deliveryOf(db, workflowId, 'sendA');
    const b = await deliveryOf(db, workflowId, 'sendB');
    await until('A and B sent', async () => (await allSent(db, a.id, a.toDeliver)) && (await allSent(db, b.id, b.toDeliver)));
    process.stderr.write(`A (${a.toDeliver}) and B (${b.toDeliver}) sent; opening…\n`);
    const opens = (await openShare(instance, base, a.id, SHARE.A)) + (await openShare(instance, base, b.id, SHARE.B));
    const ingested = () => db.models.TrackingLog.count({ where: { deliveryId: { [Op.in]: [a.id, b.id] } } });
    await until('the opens ingested', async () => {
      await sleep(instance.config.tracking.flushIntervalMs + 200);
      await herald.run(['workflow', 'run', 'tracking']);
      return (await ingested()) >= opens;
    });
    process.stderr.write(`${opens} opens ingested; the workflow server picks the winner…\n`);
    herald.start(['wfserver']);
    await until('the winner picked', async () => (await db.models.AbTest.count({ where: { workflowId, status: 'sent' } })) > 0);
    const test = (await db.models.AbTest.findOne({ where: { workflowId } }))!;
    const rest = await deliveryOf(db, workflowId, 'pick');
    await until('the rest sent', () => allSent(db, rest.id, rest.toDeliver));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    await until('the sink to count every message', async () => sink.received() >= a.toDeliver + b.toDeliver + rest.toDeliver, 30);

    const deliveries = [a.id, b.id, rest.id];
    const sentLogs = await db.models.BroadLog.count({ where: { deliveryId: { [Op.in]: deliveries }, status: 'sent' } });
    const people = await db.models.BroadLog.count({ where: { deliveryId: { [Op.in]: deliveries }, status: 'sent' }, distinct: true, col: 'recipientId' });
    if (sentLogs !== people || people !== options.recipients)
      throw new Error(`${sentLogs} messages sent to ${people} different recipients of ${options.recipients}: someone was sent twice or left out`);
    return {
      recipients: options.recipients,
      seconds: Math.round(seconds * 10) / 10,
      sent: sink.received(),
      winner: test.winner,
      peak_rss_mb: Math.max(herald.peakMb, peakRssMb()),
    };
  } finally {
    await herald.stop();
    sink.stop();
    await instance.cleanup();
  }
}
