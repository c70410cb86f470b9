import { fork, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { generateApiKey } from '../../server/api/api-keys.js';
import { createApiKey } from '../../server/db/repos/api-keys.js';
import { publishTemplate } from '../../server/events/publish-template.js';
import { APP_ROOT } from '../../server/shared/app-root.js';
import { silentLogger } from '../../server/shared/logger.js';
import { freePort } from './free-port.js';
import { benchInstance } from './instance.js';

/**
 * `bench events --events N`: POST /api/events to the real web module (`herald web`, its own
 * process, SQLite with synchronous=FULL) over loopback from this process, `connections` requests in
 * flight, each event distinct with its own idempotency key. accept_per_s counts 202 answers per
 * second of wall time; p99_accept_ms is the answer time (the event is on disk when it comes).
 * p95_event_to_smtp_ms runs from each 202 to the moment a real `herald mta` process hands that event's
 * message to an SMTP server in another process (matched by its recipient; both times epoch ms). Extra fields: events found
 * stored afterwards, p50 of the answer time, messages received.
 */

async function waitUntilUp(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`the web module exited with ${child.exitCode}`);
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await sleep(100);
  }
  throw new Error(`${url} did not come up`);
}

function post(agent: Agent, port: number, auth: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/api/events',
        method: 'POST',
        agent,
        headers: { authorization: auth, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The SMTP receiver runs in its own process (scripts/bench/smtp-receiver.ts), so this one only drives HTTP. */
async function smtpReceiver() {
  const child = fork(join(APP_ROOT, 'scripts', 'bench', 'smtp-receiver.ts'), [], { execArgv: ['--import=tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const ask = <T>(message: string) => new Promise<T>((resolve) => child.once('message', (m) => resolve(m as T)).send(message));
  const [{ port }] = (await once(child, 'message')) as [{ port: number }];
  return {
    port,
    count: () => ask<{ count: number }>('count').then((m) => m.count),
    report: () => ask<{ arrivals: Record<string, number> }>('report').then((m) => m.arrivals),
  };
}

/**
 * One event sent and delivered before measuring: the month's transactional delivery then exists and
 * the MTA has compiled it, as on any running system (the first event of a month pays for that once).
 */
async function warmUp(port: number, auth: string, receiver: Awaited<ReturnType<typeof smtpReceiver>>): Promise<void> {
  const agent = new Agent({ keepAlive: false });
  const body = JSON.stringify({
    type: 'order-confirmed',
    email: 'warm-up@example.com',
    ctx: { orderId: 'W-0', total: '0.00', items: [] },
    idempotencyKey: 'warm-up',
  });
  if ((await post(agent, port, auth, body)) !== 202) throw new Error('the warm-up event was refused');
  for (let waited = 0; (await receiver.count()) < 1; waited += 100) {
    if (waited > 60_000) throw new Error('the warm-up event never reached SMTP');
    await sleep(100);
  }
  agent.destroy();
}

/** Sends `total` events with `connections` in flight; returns each answer time (ms), when each was accepted, and the wall time. */
async function drive(
  port: number,
  auth: string,
  total: number,
  connections: number,
): Promise<{ latencies: number[]; accepted: Map<string, number>; seconds: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  const accepted = new Map<string, number>();
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total) {
      const n = next++;
      const body = JSON.stringify({
        type: 'order-confirmed',
        email: `buyer${n}@example.com`,
        ctx: { orderId: `A-${n}`, total: '42.00', items: [{ sku: 'K-1', qty: 1 }] },
        idempotencyKey: `order-${n}`,
      });
      const t0 = performance.now();
      const status = await post(agent, port, auth, body);
      if (status !== 202) throw new Error(`event ${n}: HTTP ${status}`);
      latencies.push(performance.now() - t0);
      accepted.set(`buyer${n}@example.com`, Date.now());
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { latencies, accepted, seconds };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function benchEvents(options: { events: number; connections: number }): Promise<Record<string, unknown>> {
  const port = await freePort();
  const receiver = await smtpReceiver();
  const mtaToml = `[mta]\ntransport = "smtp"\ntls = "disabled"\n[[mta.routes]]\ndomain = "*"\nhosts = ["127.0.0.1:${receiver.port}"]\n`;
  const instance = await benchInstance(`[web]\nport = ${port}\n[api]\nratePerSecond = 1000000\nburst = 1000000\n[log]\nlevel = "warn"\n${mtaToml}`);
  let web: ChildProcess | undefined;
  let mta: ChildProcess | undefined;
  try {
    const template = {
      label: 'Order confirmed',
      subject: 'Order <%= event.orderId %>',
      fromName: 'Shop',
      fromAddress: 'shop@example.com',
      replyTo: null,
      html: '<p>Order <%= event.orderId %>: <%= event.total %></p>',
      text: null,
      headers: {},
      trackingEnabled: false,
      openTracking: false,
    };
    await publishTemplate({ db: instance.db, config: instance.config, log: silentLogger() }, 'order-confirmed', template, new Date());
    const { key, prefix, secretHash } = generateApiKey();
    await createApiKey(instance.db, { name: 'bench', prefix, secretHash, scopes: ['events:write'], operatorId: null, expiresAt: null }, new Date());
    const run = (module: string) =>
      spawn(process.execPath, ['--import=tsx', join(APP_ROOT, 'server', 'cli', 'main.ts'), module], {
        cwd: APP_ROOT,
        env: { ...process.env, HERALD_CONFIG: instance.siteFile },
        stdio: 'ignore',
      });
    web = run('web');
    mta = run('mta');
    await waitUntilUp(`http://127.0.0.1:${port}/health`, web);
    await warmUp(port, `Bearer ${key}`, receiver);
    process.stderr.write(`posting ${options.events} events, ${options.connections} in flight…\n`);
    const { latencies, accepted, seconds } = await drive(port, `Bearer ${key}`, options.events, options.connections);
    const sorted = latencies.sort((a, b) => a - b);
    for (let waited = 0; (await receiver.count()) < options.events + 1 && waited < 300_000; waited += 200) await sleep(200);
    const arrivals = await receiver.report();
    const handoffs = [...accepted].flatMap(([address, at]) => (arrivals[address] !== undefined ? [arrivals[address]! - at] : [])).sort((a, b) => a - b);
    const stored = await instance.db.models.TransactionalEvent.count({ where: { origin: 'api' } });
    return {
      events: options.events,
      accept_per_s: Math.round(options.events / seconds),
      p99_accept_ms: round(percentile(sorted, 99)),
      p95_event_to_smtp_ms: handoffs.length === options.events ? round(percentile(handoffs, 95)) : null,
      stored,
      p50_accept_ms: round(percentile(sorted, 50)),
      connections: options.connections,
      received: handoffs.length,
      p50_event_to_smtp_ms: round(percentile(handoffs, 50)),
    };
  } finally {
    for (const child of [web, mta]) {
      child?.kill('SIGTERM');
      if (child && child.exitCode === null) await once(child, 'exit');
    }
    await instance.cleanup();
  }
}
