import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { join } from 'node:path';
import { Op } from 'sequelize';
import type { Database } from '../../server/db/connect.js';
import { startDelivery } from '../../server/delivery/actions.js';
import { APP_ROOT } from '../../server/shared/app-root.js';
import { silentLogger } from '../../server/shared/logger.js';
import { startCountingSink, type CountingSink } from '../helpers/counting-sink.js';
import { createInstance, createNode, openTestDb, testDialect, type TestInstance } from '../helpers/instance.js';
import { analysedDelivery, deliveryState, until } from '../helpers/mta.js';
import { createNetns, namespaceSupport, tcpRelay, type Netns } from '../helpers/netns.js';

/**
 * Herald nodes: separate installs (own site config, data folder and process tree, each in its own
 * network namespace when this machine allows it) running only the MTA module (`[modules.*].autoStart`)
 * against one PostgreSQL database. They split a delivery through the queue's leases, keep one pace
 * per domain through the database, and a node killed with SIGKILL loses nothing: its leases expire
 * and the survivor sends its messages, at most the ones it had in flight twice. The kill test's
 * figures go to test-output/mta-nodes-kill.json.
 */

interface RunningNode {
  name: string;
  instance: TestInstance;
  watchdog: ChildProcess;
  netns?: Netns;
}

const MODULES_OFF = ['web', 'tracking', 'inmail', 'wfserver'].map((m) => `[modules.${m}]\nautoStart = false\n`).join('');

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Every process of the node (its watchdog and the modules it started): its namespace's, else its process tree. */
function nodePids(node: RunningNode): number[] {
  if (node.netns) return node.netns.pids();
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // the process ended meanwhile
    }
  }
  const tree = [node.watchdog.pid!];
  for (let i = 0; i < tree.length; i++) for (const [pid, ppid] of parents) if (ppid === tree[i]) tree.push(pid);
  return tree;
}

function killNode(node: RunningNode, signal: NodeJS.Signals): void {
  for (const pid of nodePids(node)) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

describe('MTA nodes sharing one PostgreSQL database', function () {
  this.timeout(600_000);
  let primary: TestInstance;
  let db: Database;
  let sink: CountingSink;
  const nodes: RunningNode[] = [];
  const namespaces: Netns[] = [];
  const relays: Array<{ close(): Promise<void> }> = [];
  const why = testDialect() === 'postgres' ? '' : 'nodes share a networked database: run under HERALD_TEST_DATABASE_URL';

  beforeEach(async function () {
    if (why) return this.skip();
    primary = createInstance();
    db = await openTestDb(primary);
  });
  afterEach(async () => {
    for (const node of nodes.splice(0)) {
      killNode(node, 'SIGKILL');
      if (node.watchdog.exitCode === null && node.watchdog.signalCode === null) await once(node.watchdog, 'exit');
      node.instance.cleanup();
    }
    for (const relay of relays.splice(0)) await relay.close();
    await sink?.close();
    for (const ns of namespaces.splice(0)) ns.remove();
    await db?.close();
    primary?.cleanup();
  });

  /** Two nodes (a, b), each with its sink listener and, when possible, its namespace and database relay. */
  async function startNodes(mtaToml: (sinkHost: string, sinkPort: number) => string): Promise<void> {
    const isolated = namespaceSupport() === '';
    for (const [i] of ['a', 'b'].entries()) if (isolated) namespaces.push(createNetns(i));
    const hosts = ['a', 'b'].map((_, i) => namespaces[i]?.hostIp ?? '127.0.0.1');
    sink = await startCountingSink(['a', 'b'].map((label, i) => ({ label, host: hosts[i]! })));
    const database = new URL(primary.config.database.url);
    for (const [i, name] of ['a', 'b'].entries()) {
      const netns = namespaces[i];
      const relay = netns ? await tcpRelay(netns.hostIp, { host: database.hostname, port: Number(database.port) }) : undefined;
      if (relay) relays.push(relay);
      const url = new URL(database);
      if (netns && relay) [url.hostname, url.port] = [netns.hostIp, String(relay.port)];
      const toml = `${MODULES_OFF}[watchdog]\ncontrolPort = ${await freePort()}\n${mtaToml(hosts[i]!, sink.ports.get(name)!)}`;
      const instance = createNode(primary, `node-${name}`, toml, url.toString());
      const argv = [process.execPath, '--import=tsx', join(APP_ROOT, 'server', 'cli', 'main.ts'), 'start'];
      const [command, ...args] = netns ? netns.wrap(argv) : argv;
      const watchdog = spawn(command!, args, { cwd: APP_ROOT, env: instance.env, stdio: 'ignore', detached: true });
      nodes.push({ name, instance, watchdog, netns });
    }
    const since = () => new Date(Date.now() - 30_000);
    await until(async () => (await db.models.MtaInstance.count({ where: { lastSeenAt: { [Op.gte]: since() } } })) === 2, 60_000, 'both MTA nodes to register');
  }

  const mtaSection = (leaseSeconds: number, maxInFlight: number, rule: string) => (host: string, port: number) =>
    `[mta]\ntransport = "smtp"\ntls = "disabled"\nidlePollMs = 100\ncommitIntervalMs = 50\nleaseSeconds = ${leaseSeconds}\n` +
    `maxInFlight = ${maxInFlight}\nclaimBatch = ${maxInFlight}\n[[mta.routes]]\ndomain = "*"\nhosts = ["${host}:${port}"]\n${rule}`;

  it('split a 20,000-message delivery, and the survivor of a kill -9 finishes it with nothing lost', async () => {
    const COUNT = 20_000;
    const IN_FLIGHT = 100;
    const rule = '[[mta.domainRules]]\nmatch = "*"\nshared = false\nmaxConnections = 10\nmaxMessagesPerConnection = 100000\nmessagesPerHour = 0\n';
    const emails = Array.from({ length: COUNT }, (_, i) => `n${i}@nodes.test`);
    const id = await analysedDelivery(db, primary, emails, 'nodes-kill');
    await startNodes(mtaSection(30, IN_FLIGHT, rule));
    const [a, b] = nodes as [RunningNode, RunningNode];
    await startDelivery({ db, config: primary.config, log: silentLogger(), dkim: [] }, id, new Date());

    await until(() => sink.total() >= COUNT / 4 && sink.perLabel.get('a')! > 0 && sink.perLabel.get('b')! > 0, 300_000, 'both nodes sending');
    killNode(a, 'SIGKILL');
    await once(a.watchdog, 'exit');
    await until(() => a.netns === undefined || a.netns.pids().length === 0, 10_000, "node a's processes to be gone");
    const fromAAtKill = sink.perLabel.get('a')!;
    const fromBAtKill = sink.perLabel.get('b')!;

    await until(async () => (await deliveryState(db, id)) === 'finished', 300_000, 'the survivor to finish the delivery');
    killNode(b, 'SIGTERM');
    await once(b.watchdog, 'exit');

    const figures = {
      messages: COUNT,
      namespaces: namespaces.length > 0,
      from_a_before_kill: fromAAtKill,
      from_b_before_kill: fromBAtKill,
      from_b: sink.perLabel.get('b'),
      duplicates: [...sink.copies.values()].filter((labels) => labels.length > 1).length,
    };
    mkdirSync(join(APP_ROOT, 'test-output'), { recursive: true });
    writeFileSync(join(APP_ROOT, 'test-output', 'mta-nodes-kill.json'), JSON.stringify(figures) + '\n');
    assert.equal(sink.perLabel.get('a'), fromAAtKill, 'nothing came from the killed node afterwards');
    assert.ok(sink.perLabel.get('b')! > fromBAtKill, 'the survivor kept sending after the kill');
    const missing = emails.filter((e) => !sink.copies.has(e));
    assert.deepEqual(missing, [], 'every message arrived');
    const duplicates = [...sink.copies].filter(([, labels]) => labels.length > 1);
    assert.ok(duplicates.length <= IN_FLIGHT, `duplicates (${duplicates.length}) ≤ messages the killed node had in flight (${IN_FLIGHT})`);
    for (const [address, labels] of duplicates) {
      assert.deepEqual(labels, ['a', 'b'], `${address}: a duplicate is a message the killed node sent and the survivor sent again`);
    }
    assert.equal(sink.total(), COUNT + duplicates.length, 'no other copies');
    assert.equal(await db.models.BroadLog.count({ where: { deliveryId: id, status: 'sent' } }), COUNT, 'every broad log ends sent');
    const delivery = (await db.models.Delivery.findByPk(id))!;
    assert.deepEqual([delivery.processed, delivery.sent, delivery.failed], [COUNT, COUNT, 0], 'each message counted once');
  });

  it('keep one pace per domain across nodes, through the database', async () => {
    const COUNT = 60;
    const PER_HOUR = 36_000; // 10 a second, with one second of burst
    const rules = [
      `[[mta.domainRules]]\nmatch = "paced.test"\nshared = false\nmaxConnections = 4\nmaxMessagesPerConnection = 1000\nmessagesPerHour = ${PER_HOUR}\n`,
      '[[mta.domainRules]]\nmatch = "*"\nshared = false\nmaxConnections = 4\nmaxMessagesPerConnection = 1000\nmessagesPerHour = 0\n',
    ].join('');
    const emails = Array.from({ length: COUNT }, (_, i) => `p${i}@paced.test`);
    const id = await analysedDelivery(db, primary, emails, 'nodes-paced');
    await startNodes(mtaSection(900, 50, rules));
    // No grant can come before the delivery starts: the pace is measured from here. (Measured from
    // the first arrival it failed on a loaded machine: the first connection took longer than the
    // pace allowed, and the messages granted meanwhile by both nodes then arrived all at once.)
    const started = Date.now();
    await startDelivery({ db, config: primary.config, log: silentLogger(), dkim: [] }, id, new Date(started));
    await until(async () => (await deliveryState(db, id)) === 'finished', 120_000, 'the paced delivery to finish');
    const arrivals = sink.arrivals;
    assert.ok((sink.perLabel.get('a') ?? 0) > 0 && (sink.perLabel.get('b') ?? 0) > 0, `both nodes sent (${[...sink.perLabel.values()].join(' + ')})`);
    assert.equal(sink.copies.size, COUNT);
    // GCRA: by any time, at most the burst (one second: 10 messages, 11 with the next slot) plus 10
    // per second since the start, whichever node sent them; 3 messages of slack for a node whose
    // clock reading is a few database round trips old when it reserves. Two nodes pacing on their own
    // would send twice that (20 at once, then 20 a second).
    arrivals.forEach((at, k) => {
      const allowed = 11 + Math.floor(((at - started) / 1000) * 10) + 3;
      assert.ok(k + 1 <= allowed, `message ${k + 1} arrived ${at - started} ms after the start: over the pace (${allowed} allowed)`);
    });
    const last = arrivals[COUNT - 1] ?? 0;
    assert.ok(
      last - started >= 4_500,
      `sixty messages at ten a second after a burst of ten take 5 s (less the slack), on two nodes too (${last - started} ms)`,
    );
  });
});
