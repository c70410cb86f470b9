import { DataTypes, type QueryInterface, type Transaction } from 'sequelize';
import { HeraldError } from '../shared/errors.js';
import { EXIT } from '../shared/exit-codes.js';
import type { Logger } from '../shared/logger.js';
import type { Database } from './connect.js';
import * as m001 from './migrations/001-initial.js';
import * as m004 from './migrations/004-tracking-ingest.js';
import * as m005 from './migrations/005-workflow-tasks.js';
import * as m006 from './migrations/006-console.js';
import * as m007 from './migrations/007-mta.js';
import * as m008 from './migrations/008-reports.js';
import * as m009 from './migrations/009-public.js';
import * as m011 from './migrations/011-complaints.js';
import * as m012 from './migrations/012-mta-error-rate.js';
import * as m020 from './migrations/020-postgres-search.js';
import * as m030 from './migrations/030-ab-tests.js';
import * as m031 from './migrations/031-audiences.js';
import * as m032 from './migrations/032-workflow-versions.js';
import * as m040 from './migrations/040-content.js';
import * as m041 from './migrations/041-default-blocks.js';
import * as m050 from './migrations/050-channels.js';
import * as m051 from './migrations/051-sms.js';
import * as m052 from './migrations/052-push.js';
import * as m053 from './migrations/053-routing.js';
import * as m054 from './migrations/054-push-content.js';
import * as m060 from './migrations/060-inmail-mailboxes.js';
import * as m061 from './migrations/061-bounce-rules.js';
import * as m070 from './migrations/070-time-zones.js';
import * as m090 from './migrations/090-operator-theme.js';
import * as m091 from './migrations/091-languages.js';
import * as m092 from './migrations/092-signup-language.js';
import * as m096 from './migrations/096-subscription-slots.js';
import * as m097 from './migrations/097-delivery-paused-at.js';
import { MIGRATIONS_TABLE } from './models/index.js';

/** One schema step. Applied in list order, each in its own transaction, and recorded by name. */
export interface Migration {
  name: string;
  up(qi: QueryInterface, transaction?: Transaction): Promise<void>;
}

export const MIGRATIONS: readonly Migration[] = [
  { name: '001-initial', up: m001.up },
  { name: '004-tracking-ingest', up: m004.up },
  { name: '005-workflow-tasks', up: m005.up },
  { name: '006-console', up: m006.up },
  { name: '007-mta', up: m007.up },
  { name: '008-reports', up: m008.up },
  { name: '009-public', up: m009.up },
  { name: '011-complaints', up: m011.up },
  { name: '012-mta-error-rate', up: m012.up },
  { name: '020-postgres-search', up: m020.up },
  { name: '030-ab-tests', up: m030.up },
  { name: '031-audiences', up: m031.up },
  { name: '032-workflow-versions', up: m032.up },
  { name: '040-content', up: m040.up },
  { name: '041-default-blocks', up: m041.up },
  { name: '050-channels', up: m050.up },
  { name: '051-sms', up: m051.up },
  { name: '052-push', up: m052.up },
  { name: '053-routing', up: m053.up },
  { name: '054-push-content', up: m054.up },
  { name: '060-inmail-mailboxes', up: m060.up },
  { name: '061-bounce-rules', up: m061.up },
  { name: '070-time-zones', up: m070.up },
  { name: '090-operator-theme', up: m090.up },
  { name: '091-languages', up: m091.up },
  { name: '092-signup-language', up: m092.up },
  { name: '096-subscription-slots', up: m096.up },
  { name: '097-delivery-paused-at', up: m097.up },
];

async function ensureTable(db: Database): Promise<void> {
  const columns = {
    name: { type: DataTypes.STRING(100), primaryKey: true, allowNull: false },
    applied_at: { type: DataTypes.DATE, allowNull: false },
  };
  await db.write((transaction) => db.sequelize.getQueryInterface().createTable(MIGRATIONS_TABLE, columns, { transaction }));
}

export async function appliedMigrations(db: Database): Promise<string[]> {
  const qi = db.sequelize.getQueryInterface();
  const { MigrationRecord } = db.models;
  const exists = await qi.tableExists(MigrationRecord.getTableName());
  if (!exists) return [];
  const rows = await MigrationRecord.findAll({ attributes: ['name'], order: [['name', 'ASC']] });
  return rows.map((r) => r.name);
}

export async function pendingMigrations(db: Database): Promise<string[]> {
  const applied = new Set(await appliedMigrations(db));
  return MIGRATIONS.filter((m) => !applied.has(m.name)).map((m) => m.name);
}

/** Applies every pending migration; returns the names applied. */
export async function migrate(db: Database, log?: Logger): Promise<string[]> {
  await ensureTable(db);
  const pending = new Set(await pendingMigrations(db));
  const done: string[] = [];
  for (const migration of MIGRATIONS) {
    if (!pending.has(migration.name)) continue;
    const started = Date.now();
    const { MigrationRecord } = db.models;
    await db.write(async (transaction) => {
      await migration.up(db.sequelize.getQueryInterface(), transaction);
      await MigrationRecord.create({ name: migration.name, appliedAt: new Date() }, { transaction });
    });
    log?.info('DB_MIGRATION_APPLIED', { migration: migration.name, ms: Date.now() - started });
    done.push(migration.name);
  }
  return done;
}

/** Modules refuse to run on a schema older than the code: a clear error instead of SQL failures later. */
export async function requireMigrated(db: Database, log?: Logger): Promise<void> {
  const pending = await pendingMigrations(db);
  if (pending.length === 0) return;
  log?.error('DB_MIGRATIONS_PENDING', { pending });
  throw new HeraldError('DB_MIGRATIONS_PENDING', `the database schema is behind this version (pending: ${pending.join(', ')}); run: herald db migrate`, {
    exitCode: EXIT.CONFIG,
  });
}
