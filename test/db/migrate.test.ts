import assert from 'node:assert/strict';
import { QueryTypes, type ModelStatic, type Model, type Transaction } from 'sequelize';
import type { Database } from '../../server/db/connect.js';
import { appliedMigrations, migrate, MIGRATIONS, pendingMigrations, requireMigrated } from '../../server/db/migrate.js';
import type { HeraldError } from '../../server/shared/errors.js';
import { createInstance, openTestDb, testDialect, type TestInstance } from '../helpers/instance.js';
import { MIGRATION_TABLES } from '../helpers/tables.js';

describe('database schema and migrations', () => {
  let instance: TestInstance;
  let db: Database;
  before(async () => {
    instance = createInstance();
    db = await openTestDb(instance);
  });
  after(async () => {
    await db.close();
    instance.cleanup();
  });

  it('applies every migration once and records it', async () => {
    assert.deepEqual(
      await appliedMigrations(db),
      MIGRATIONS.map((m) => m.name),
    );
    assert.deepEqual(await pendingMigrations(db), []);
    assert.deepEqual(await migrate(db), [], 'a second run applies nothing');
    await requireMigrated(db);
  });

  it('creates every table', async () => {
    const tables = (await db.sequelize.getQueryInterface().showAllTables()).map((t) => (typeof t === 'string' ? t : (t as { tableName: string }).tableName));
    for (const table of MIGRATION_TABLES) assert.ok(tables.includes(table), `missing table ${table}`);
  });

  it('indexes the hot paths', async () => {
    const qi = db.sequelize.getQueryInterface();
    const names = async (table: string) =>
      ((await qi.showIndex(table)) as Array<{ name: string; unique: boolean }>).map((i) => `${i.name}${i.unique ? ' (unique)' : ''}`);
    const expected: Record<string, string[]> = {
      broad_logs: ['broad_logs_due', 'broad_logs_delivery_status', 'broad_logs_recipient'],
      tracking_logs: ['tracking_logs_delivery_time', 'tracking_logs_hit_id (unique)'],
      quarantines: ['quarantines_address_channel (unique)'],
      recipients: ['recipients_email (unique)'],
      bounce_texts: ['bounce_texts_text_hash (unique)'],
    };
    for (const [table, wanted] of Object.entries(expected)) {
      const have = await names(table);
      for (const index of wanted) assert.ok(have.includes(index), `${table} lacks index ${index} (has ${have.join(', ')})`);
    }
  });

  it('matches every model to the migrated columns, so models and migrations cannot drift apart', async () => {
    const qi = db.sequelize.getQueryInterface();
    const all: Array<ModelStatic<Model>> = Object.values(db.models);
    assert.ok(all.length >= 20, `found ${all.length} models`);
    for (const model of all) {
      const table = model.getTableName() as string;
      const columns = Object.keys(await qi.describeTable(table)).sort();
      const fields = Object.values(model.getAttributes())
        .map((a) => a.field!)
        .sort();
      assert.deepEqual(fields, columns, `model ${model.name} vs table ${table}`);
    }
  });

  it('refuses to serve a schema that is behind the code', async () => {
    const other = createInstance();
    await db.close();
    const { openDatabase } = await import('../../server/db/connect.js');
    const fresh = await openDatabase(other.config, other.paths);
    try {
      await assert.rejects(requireMigrated(fresh), (err: HeraldError) => err.code === 'DB_MIGRATIONS_PENDING' && /herald db migrate/.test(err.message));
    } finally {
      await fresh.close();
      other.cleanup();
      db = await openTestDb(instance);
    }
  });
});

describe('SQLite connection settings', () => {
  let instance: TestInstance;
  let db: Database;
  before(async function () {
    if (testDialect() !== 'sqlite') this.skip();
    instance = createInstance();
    db = await openTestDb(instance);
  });
  after(async () => {
    await db?.close();
    instance?.cleanup();
  });

  const pragma = async (name: string, transaction?: Transaction) => {
    const rows = await db.sequelize.query<Record<string, unknown>>(`PRAGMA ${name}`, { transaction, type: QueryTypes.SELECT });
    return Object.values(rows[0]!)[0];
  };

  it('uses WAL, synchronous FULL, foreign keys and the busy timeout, also inside write transactions', async () => {
    assert.equal(await pragma('journal_mode'), 'wal');
    assert.equal(await pragma('synchronous'), 2, 'FULL');
    assert.equal(await pragma('foreign_keys'), 1);
    await db.write(async (t) => {
      assert.equal(await pragma('busy_timeout', t), 5000);
      assert.equal(await pragma('synchronous', t), 2);
      assert.equal(await pragma('foreign_keys', t), 1);
    });
  });

  it('runs 40 concurrent write transactions without SQLITE_BUSY or a stall', async () => {
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        db.write(async (transaction) => {
          const list = await db.models.List.create({ name: `list-${i}`, label: `List ${i}`, description: null, expiresAt: null }, { transaction });
          await db.models.List.update({ label: `List #${i}` }, { where: { id: list.id }, transaction });
        }),
      ),
    );
    assert.equal(await db.models.List.count(), 40);
  });

  it('rolls a failed write transaction back completely and keeps serving the next ones', async () => {
    await assert.rejects(
      db.write(async (transaction) => {
        await db.models.List.create({ name: 'doomed', label: 'x', description: null, expiresAt: null }, { transaction });
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(await db.models.List.count({ where: { name: 'doomed' } }), 0);
    await db.write((transaction) => db.models.List.create({ name: 'after', label: 'x', description: null, expiresAt: null }, { transaction }));
  });
});
