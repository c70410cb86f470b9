import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { join } from 'node:path';
import pg from 'pg';

/**
 * A throw-away PostgreSQL cluster on 127.0.0.1 for the test suite and the benchmarks: Debian's
 * binaries (`apt-get install postgresql`), `initdb` into a folder of ours, `pg_ctl` on a free
 * loopback port, and a `herald` role (password, CREATEDB, not a superuser). As root, the server runs
 * as the `postgres` user, since PostgreSQL refuses to run as root.
 */

export interface ClusterOptions {
  /** Folder holding the cluster (data/, the socket, the log and the connection URL). Created if missing. */
  dir: string;
  /** Loopback port; a free one when absent. */
  port?: number;
  /** Faster, not crash-safe: fsync, full-page writes and synchronous commit off (tests only). */
  fast?: boolean;
  /** Load pg_stat_statements (in every database created afterwards), to count the statements run. */
  statements?: boolean;
}

export interface Cluster {
  /** postgres://herald:…@127.0.0.1:port/postgres?sslmode=disable */
  url: string;
  dir: string;
}

const URL_FILE = 'url';

/** The folder of Debian's newest PostgreSQL server binaries, or a clear error naming the package. */
export function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest)
    throw new Error("PostgreSQL server binaries not found under /usr/lib/postgresql: install Debian's postgresql package (apt-get install -y postgresql)");
  return join(root, newest, 'bin');
}

const asRoot = () => process.getuid?.() === 0;

/** Runs a PostgreSQL binary, as the postgres user when we are root; throws with its output on failure. */
function run(bin: string, args: string[]): void {
  const [cmd, argv] = asRoot() ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  const r = spawnSync(cmd, argv, { encoding: 'utf8', cwd: '/' });
  if (r.status !== 0) throw new Error(`${bin.split('/').pop()} failed (exit ${r.status}): ${(r.stderr || r.stdout || String(r.error)).trim()}`);
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

function settings(dir: string, port: number, fast: boolean, statements: boolean): string {
  const lines = [
    "listen_addresses = '127.0.0.1'",
    `port = ${port}`,
    `unix_socket_directories = '${dir}'`,
    'max_connections = 400',
    "log_destination = 'stderr'",
    'logging_collector = off',
    "log_min_messages = 'warning'",
  ];
  // tests make short-lived databases: no autovacuum worker holds one when it is dropped
  if (fast) lines.push('fsync = off', 'synchronous_commit = off', 'full_page_writes = off', 'autovacuum = off');
  if (statements) lines.push("shared_preload_libraries = 'pg_stat_statements'", 'pg_stat_statements.max = 50000');
  return lines.join('\n') + '\n';
}

/** Creates and starts a cluster in an empty folder and returns its URL; a cluster already running there is returned as is. */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const bin = postgresBin();
  const dir = options.dir;
  const data = join(dir, 'data');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const owner = asRoot() ? postgresIds() : undefined;
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const urlFile = join(dir, URL_FILE);
  if (existsSync(urlFile) && isRunning(bin, data)) return { url: readFileSync(urlFile, 'utf8').trim(), dir };

  const superPassword = randomBytes(18).toString('base64url');
  const heraldPassword = randomBytes(18).toString('base64url');
  const port = options.port ?? (await freePort());
  if (existsSync(join(data, 'PG_VERSION'))) throw new Error(`${dir} holds a stopped cluster: stop it with \`stop ${dir}\` (which removes it) and start again`);
  const pwfile = join(dir, 'pwfile');
  writeFileSync(pwfile, superPassword + '\n', { mode: 0o600 });
  if (owner) chownSync(pwfile, owner.uid, owner.gid);
  try {
    run(join(bin, 'initdb'), [
      '-D',
      data,
      '-U',
      'postgres',
      '--auth=scram-sha-256',
      `--pwfile=${pwfile}`,
      '-E',
      'UTF8',
      '--locale=C.UTF-8',
      '--no-instructions',
    ]);
  } finally {
    rmSync(pwfile, { force: true });
  }
  writeFileSync(join(data, 'postgresql.auto.conf'), settings(dir, port, options.fast ?? false, options.statements ?? false));
  if (owner) chownSync(join(data, 'postgresql.auto.conf'), owner.uid, owner.gid);
  run(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);

  // The superuser password lives only here: create the herald role (and the statistics extension)
  // with it, then replace it with one nobody knows.
  const superuser = (database: string) => new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password: superPassword, database });
  const admin = superuser('postgres');
  await admin.connect();
  try {
    await admin.query(`CREATE ROLE herald LOGIN CREATEDB PASSWORD '${heraldPassword}'`);
    // DROP DATABASE … WITH (FORCE) ends the sessions left on a test database, whoever runs them
    await admin.query('GRANT pg_signal_backend TO herald');
    if (options.statements) {
      const template = superuser('template1');
      await template.connect();
      await template.query('CREATE EXTENSION pg_stat_statements').finally(() => template.end());
    }
    await admin.query(`ALTER ROLE postgres PASSWORD '${randomBytes(18).toString('base64url')}'`);
  } finally {
    await admin.end();
  }
  const url = `postgres://herald:${heraldPassword}@127.0.0.1:${port}/postgres?sslmode=disable`;
  writeFileSync(urlFile, url + '\n', { mode: 0o600 });
  return { url, dir };
}

/** Stops the cluster (fast shutdown) and removes its folder. */
export function stopCluster(dir: string, options: { keep?: boolean } = {}): void {
  const data = join(dir, 'data');
  if (existsSync(join(data, 'postmaster.pid'))) run(join(postgresBin(), 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
  if (!options.keep) rmSync(dir, { recursive: true, force: true });
}

function isRunning(bin: string, data: string): boolean {
  const [cmd, argv] = asRoot()
    ? ['runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), '-D', data, 'status']]
    : [join(bin, 'pg_ctl'), ['-D', data, 'status']];
  return spawnSync(cmd, argv, { stdio: 'ignore', cwd: '/' }).status === 0;
}

function postgresIds(): { uid: number; gid: number } {
  const r = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (r.status !== 0 || g.status !== 0) throw new Error("no postgres user: install Debian's postgresql package (apt-get install -y postgresql)");
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}
