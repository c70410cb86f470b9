import { randomBytes } from 'node:crypto';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';

/**
 * A fresh PostgreSQL database per test instance, under HERALD_TEST_DATABASE_URL (a role with
 * CREATEDB on a server the tests may use). createInstance() is synchronous and used everywhere, so
 * the CREATE / DROP DATABASE statements run on a worker thread holding one connection, and this
 * thread waits for each answer (Atomics.wait): tests stay isolated and run in any order.
 */

interface Reply {
  error?: string;
  rows?: Array<Record<string, unknown>>;
}

let channel: { worker: Worker; port: MessagePort; signal: Int32Array } | undefined;

// Plain CommonJS run by the worker (no TypeScript loader needed there).
const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const pg = require('pg');
const { url, port, signal } = workerData;
let client;
parentPort.on('message', async ({ sql, on }) => {
  let reply = {};
  try {
    if (on) {
      // one statement on another database, on a connection of its own
      const other = new pg.Client({ connectionString: on });
      await other.connect();
      try { reply = { rows: (await other.query(sql)).rows }; } finally { await other.end(); }
    } else {
      if (!client) { client = new pg.Client({ connectionString: url }); await client.connect(); }
      await client.query(sql);
    }
  } catch (err) {
    reply = { error: err.message };
    if (client && !client._connected) client = undefined;
  }
  port.postMessage(reply);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
});`;

function serverUrl(): string {
  const url = process.env.HERALD_TEST_DATABASE_URL ?? '';
  if (!/^postgres(ql)?:\/\//.test(url)) throw new Error(`HERALD_TEST_DATABASE_URL must be a postgres:// URL, got "${url.replace(/:[^:@/]*@/, ':…@')}"`);
  return url;
}

/** Runs one statement on the admin connection, or on the database at `on`, and waits for it (at most 60 s). */
function runSync(sql: string, on?: string): Array<Record<string, unknown>> {
  if (!channel) {
    const { port1, port2 } = new MessageChannel();
    const signal = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(WORKER, { eval: true, workerData: { url: serverUrl(), port: port2, signal }, transferList: [port2] });
    worker.unref();
    channel = { worker, port: port1, signal };
  }
  Atomics.store(channel.signal, 0, 0);
  channel.worker.postMessage({ sql, on });
  if (Atomics.wait(channel.signal, 0, 0, 60_000) === 'timed-out') throw new Error(`PostgreSQL did not answer within 60 s: ${sql}`);
  const reply = receiveMessageOnPort(channel.port)?.message as Reply | undefined;
  if (reply?.error) throw new Error(`${sql}: ${reply.error}`);
  return reply?.rows ?? [];
}

/** Creates an empty database; returns its URL (the server URL with its name as the path). */
export function createTestDatabase(): { url: string; drop(): void } {
  const name = `herald_t${process.pid}_${randomBytes(5).toString('hex')}`;
  runSync(`CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => dropSync(name),
  };
}

/**
 * FORCE ends the sessions a test or a killed child left open. A session of another role (such as an
 * autovacuum worker, on a server where the role lacks pg_signal_backend) makes it fail: it is tried
 * again for a few seconds, since such a session ends on its own.
 */
function dropSync(name: string): void {
  for (let attempt = 1; ; attempt++) {
    try {
      runSync(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      return;
    } catch (err) {
      if (attempt === 10 || !/pg_signal_backend|being accessed by other users/.test((err as Error).message)) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
}

/** Whether the database at `url` has no table yet (nothing was migrated or written there). */
export function hasNoTablesSync(url: string): boolean {
  const [row] = runSync('SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = current_schema()', url);
  return row?.n === 0;
}

/**
 * Replaces the (empty) database at `url` with a copy of `template` (CREATE DATABASE … TEMPLATE: a
 * file copy, much faster than running every migration again for each test).
 */
export function copyTemplate(url: string, template: string): void {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  dropSync(name);
  runSync(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
}

/** A new database, its URL and name, for a template: dropped when this process exits. */
export function createTemplateDatabase(): { url: string; name: string } {
  const { url } = createTestDatabase();
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  process.once('exit', () => {
    try {
      dropSync(name);
    } catch {
      // the server is gone already (a throw-away cluster stopped first): nothing to drop
    }
  });
  return { url, name };
}
