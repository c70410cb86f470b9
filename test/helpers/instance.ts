import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from '../../server/db/connect.js';
import { migrate } from '../../server/db/migrate.js';
import { loadConfig } from '../../server/shared/config/load.js';
import { instancePaths, type InstancePaths } from '../../server/shared/config/paths.js';
import type { HeraldConfig } from '../../server/shared/config/schema.js';
import { MIGRATION_TABLES } from './tables.js';

/**
 * An isolated Herald instance for a test: a temporary data directory and a site config with fresh
 * secrets. The database is a real SQLite file, or the SQL Server named by HERALD_TEST_MSSQL
 * (mssql://user:password@host:port/database?encrypt=true&trustServerCertificate=true).
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

/** The [database] section for HERALD_TEST_MSSQL, or '' for the default SQLite file. */
export function databaseSection(): string {
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

export function createInstance(extraToml = ''): TestInstance {
  const dir = mkdtempSync(join(tmpdir(), 'herald-test-'));
  const siteFile = join(dir, 'herald.toml');
  writeFileSync(
    siteFile,
    [
      `dataDir = ${JSON.stringify(join(dir, 'data'))}`,
      '[secrets]',
      `trackingKey = "${secret()}"`,
      `sessionKey = "${secret()}"`,
      `bounceKey = "${secret()}"`,
      '[log]',
      'console = "never"',
      databaseSection(),
      // Metrics on any free port: tests run side by side (`herald metrics` finds the ports through the watchdog).
      extraToml.includes('[metrics.ports]') ? '' : '[metrics.ports]\nwatchdog = 0\nweb = 0\ntracking = 0\nmta = 0\ninmail = 0\nwfserver = 0',
      extraToml,
    ].join('\n') + '\n',
  );
  const { config } = loadConfig({ siteFile, env: {} });
  const env: NodeJS.ProcessEnv = { ...process.env, HERALD_CONFIG: siteFile };
  for (const k of Object.keys(env)) if (k.startsWith('HERALD_') && k !== 'HERALD_CONFIG' && !k.startsWith('HERALD_TEST_')) delete env[k];
  return { dir, siteFile, config, paths: instancePaths(config), env, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Opens the instance's database with an empty, fully migrated schema. */
export async function openTestDb(instance: TestInstance): Promise<Database> {
  const db = await openDatabase(instance.config, instance.paths);
  if (db.dialect === 'mssql') await dropHeraldTables(db);
  await migrate(db);
  return db;
}

/** SQL Server only: drop every Herald table so each suite starts from an empty schema. */
async function dropHeraldTables(db: Database): Promise<void> {
  const qi = db.sequelize.getQueryInterface();
  for (const table of [...MIGRATION_TABLES].reverse()) await qi.dropTable(table);
}
