import { createECDH, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { openDatabase, type Database } from '../../server/db/connect.js';
import { migrate } from '../../server/db/migrate.js';
import { loadConfig } from '../../server/shared/config/load.js';
import { instancePaths, type InstancePaths } from '../../server/shared/config/paths.js';
import type { HeraldConfig } from '../../server/shared/config/schema.js';
import { copyTemplate, createTemplateDatabase, createTestDatabase, hasNoTablesSync } from './postgres-databases.js';
import { MIGRATION_TABLES } from './tables.js';

/**
 * An isolated Herald instance for a test: a temporary data directory and a site config with fresh
 * secrets. The database is a real SQLite file; or, under HERALD_TEST_DATABASE_URL
 * (postgres://user:password@host:port/postgres?sslmode=disable, a role with CREATEDB), a fresh
 * PostgreSQL database created for the instance and dropped by cleanup(); or the SQL Server named by
 * HERALD_TEST_MSSQL (mssql://user:password@host:port/database?encrypt=true&trustServerCertificate=true).
 */
export interface TestInstance {
  dir: string;
  siteFile: string;
  config: HeraldConfig;
  paths: InstancePaths;
  /** Environment for child processes: HERALD_CONFIG points at this instance. */
  env: NodeJS.ProcessEnv;
  cleanup(): void;
}

export const secret = () => randomBytes(32).toString('base64url');

/** A web push VAPID private key (P-256), as config init generates it. */
export const vapidPrivateKey = () => {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const raw = ecdh.getPrivateKey();
  return Buffer.concat([Buffer.alloc(32 - raw.length), raw]).toString('base64url');
};

/** The database the tests run on, chosen by the environment. */
export function testDialect(): 'sqlite' | 'mssql' | 'postgres' {
  if (process.env.HERALD_TEST_DATABASE_URL) return 'postgres';
  return process.env.HERALD_TEST_MSSQL ? 'mssql' : 'sqlite';
}

/** The [database] section for HERALD_TEST_MSSQL, or '' for the default SQLite file. */
function mssqlSection(): string {
  const url = process.env.HERALD_TEST_MSSQL;
  if (!url) return '';
  const u = new URL(url);
  const q = u.searchParams;
  return [
    '[database]',
    'dialect = "mssql"',
    `host = ${JSON.stringify(u.hostname)}`,
    `port = ${Number(u.port || 1433)}`,
    `name = ${JSON.stringify(decodeURIComponent(u.pathname.slice(1)) || 'herald_test')}`,
    `user = ${JSON.stringify(decodeURIComponent(u.username))}`,
    `password = ${JSON.stringify(decodeURIComponent(u.password))}`,
    `encrypt = ${q.get('encrypt') !== 'false'}`,
    `trustServerCertificate = ${q.get('trustServerCertificate') === 'true'}`,
  ].join('\n');
}

/** `moreSecrets`: secrets besides the three every instance has (e.g. statKey), written in [secrets]. */
export function createInstance(extraToml = '', moreSecrets: Record<string, string> = {}): TestInstance {
  const postgres = testDialect() === 'postgres' ? createTestDatabase() : undefined;
  const secrets = { trackingKey: secret(), sessionKey: secret(), bounceKey: secret(), vapidPrivateKey: vapidPrivateKey(), ...moreSecrets };
  return writeInstance('herald-test-', secrets, postgres ? `[database]\nurl = ${JSON.stringify(postgres.url)}` : mssqlSection(), extraToml, postgres?.drop);
}

/**
 * Another node of `primary`'s Herald: its own data directory and site config with the same secrets
 * and the same (networked) database, reached through `databaseUrl` when given — what a second
 * machine running some of the modules has. Its cleanup() removes only its own folder.
 */
export function createNode(primary: TestInstance, instanceName: string, extraToml = '', databaseUrl?: string): TestInstance {
  const db = primary.config.database;
  if (db.dialect === 'sqlite') throw new Error('nodes share a networked database: run under HERALD_TEST_DATABASE_URL');
  const { trackingKey, sessionKey, bounceKey } = primary.config.secrets;
  const url = databaseUrl ?? db.url;
  const database = url ? `[database]\nurl = ${JSON.stringify(url)}` : mssqlSection();
  return writeInstance(`herald-node-${instanceName}-`, { trackingKey, sessionKey, bounceKey }, database, extraToml, undefined, instanceName);
}

function writeInstance(
  prefix: string,
  secrets: { trackingKey: string; sessionKey: string; bounceKey: string } & Record<string, string>,
  databaseToml: string,
  extraToml: string,
  dropDatabase?: () => void,
  instanceName?: string,
): TestInstance {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const siteFile = join(dir, 'herald.toml');
  writeFileSync(
    siteFile,
    [
      ...(instanceName ? [`instanceName = ${JSON.stringify(instanceName)}`] : []),
      `dataDir = ${JSON.stringify(join(dir, 'data'))}`,
      '[secrets]',
      ...Object.entries(secrets).map(([k, v]) => `${k} = "${v}"`),
      '[log]',
      'console = "never"',
      databaseToml,
      // Metrics on any free port: tests run side by side (`herald metrics` finds the ports through the watchdog).
      extraToml.includes('[metrics.ports]')
        ? ''
        : '[metrics.ports]\nwatchdog = 0\nweb = 0\ntracking = 0\nmta = 0\ninmail = 0\nwfserver = 0\nsms = 0\nstat = 0\npush = 0',
      extraToml,
    ].join('\n') + '\n',
  );
  const { config } = loadConfig({ siteFile, env: {} });
  const env: NodeJS.ProcessEnv = { ...process.env, HERALD_CONFIG: siteFile };
  for (const k of Object.keys(env)) if (k.startsWith('HERALD_') && k !== 'HERALD_CONFIG' && !k.startsWith('HERALD_TEST_')) delete env[k];
  const cleanup = () => {
    rmSync(dir, { recursive: true, force: true });
    dropDatabase?.();
  };
  return { dir, siteFile, config, paths: instancePaths(config), env, cleanup };
}

/** Environment overrides that point the instance at a database it cannot reach (same dialect). */
export function unreachableDatabaseEnv(instance: TestInstance): NodeJS.ProcessEnv {
  const db = instance.config.database;
  if (db.dialect === 'postgres') {
    const url = new URL(db.url);
    url.port = '1'; // nothing listens on 127.0.0.1:1: refused at once
    return { HERALD_DATABASE__URL: url.toString() };
  }
  if (db.dialect === 'mssql') return { HERALD_DATABASE__PORT: '1' };
  writeFileSync(join(instance.dir, 'a-file'), '');
  return { HERALD_DATABASE__SQLITE_FILE: join(instance.dir, 'a-file', 'sub', 'herald.sqlite') };
}

/**
 * Opens the instance's database with an empty, fully migrated schema. A fresh SQLite file or
 * PostgreSQL database is a copy of one migrated once per test process (a file copy, or CREATE
 * DATABASE … TEMPLATE), instead of running every migration for each test; migrate() then checks it
 * is up to date. A database the test already wrote to is opened as it is.
 */
export async function openTestDb(instance: TestInstance): Promise<Database> {
  if (instance.config.database.dialect === 'sqlite' && !existsSync(instance.paths.sqliteFile)) {
    const template = await (templates.sqlite ??= sqliteTemplate());
    mkdirSync(dirname(instance.paths.sqliteFile), { recursive: true, mode: 0o750 });
    copyFileSync(template, instance.paths.sqliteFile);
  }
  const { dialect, url } = instance.config.database;
  if (dialect === 'postgres' && hasNoTablesSync(url)) copyTemplate(url, await (templates.postgres ??= postgresTemplate()));
  const db = await openDatabase(instance.config, instance.paths);
  if (db.dialect === 'mssql') await dropHeraldTables(db);
  await migrate(db);
  return db;
}

/** The migrated databases of this test process (SQLite: a file; PostgreSQL: a template database's name). */
const templates: { sqlite?: Promise<string>; postgres?: Promise<string> } = {};

async function migratedInstance(databaseToml: string): Promise<TestInstance> {
  const instance = writeInstance('herald-template-', { trackingKey: secret(), sessionKey: secret(), bounceKey: secret() }, databaseToml, '');
  const db = await openDatabase(instance.config, instance.paths);
  try {
    await migrate(db);
  } finally {
    await db.close();
  }
  return instance;
}

async function sqliteTemplate(): Promise<string> {
  const instance = await migratedInstance('');
  const file = join(tmpdir(), `herald-test-template-${process.pid}-${randomBytes(4).toString('hex')}.sqlite`);
  copyFileSync(instance.paths.sqliteFile, file);
  instance.cleanup();
  process.once('exit', () => rmSync(file, { force: true }));
  return file;
}

async function postgresTemplate(): Promise<string> {
  const { url, name } = createTemplateDatabase();
  (await migratedInstance(`[database]\nurl = ${JSON.stringify(url)}`)).cleanup();
  return name;
}

/** SQL Server only: drop every Herald table so each suite starts from an empty schema. */
async function dropHeraldTables(db: Database): Promise<void> {
  const qi = db.sequelize.getQueryInterface();
  for (const table of [...MIGRATION_TABLES].reverse()) await qi.dropTable(table);
}

/**
 * PostgreSQL only: moves every id sequence past the largest id of its table. Seeds that insert rows
 * with explicit ids call it, since PostgreSQL (unlike SQLite) does not advance a sequence for them.
 */
export async function resyncIdentities(db: Database): Promise<void> {
  if (db.dialect !== 'postgres') return;
  await db.sequelize.query(`DO $$ DECLARE r record; BEGIN
    FOR r IN SELECT table_name, column_name, pg_get_serial_sequence(quote_ident(table_name), column_name) AS seq
      FROM information_schema.columns WHERE table_schema = current_schema() AND column_default LIKE 'nextval(%' LOOP
      EXECUTE format('SELECT setval(%L, COALESCE((SELECT MAX(%I) FROM %I), 0) + 1, false)', r.seq, r.column_name, r.table_name);
    END LOOP; END $$;`);
}
