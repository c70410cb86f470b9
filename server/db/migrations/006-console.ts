import { DataTypes, type QueryInterface, type ModelAttributes, type Transaction } from 'sequelize';

/**
 * The web console: operator sessions (stored hashed), the audit log of operator actions, login
 * throttling counters, browser CSV imports with their progress, and case-insensitive name indexes
 * for the recipient search. Frozen once released: later changes go in new migrations.
 */

const T = DataTypes;
const pk = () => ({ type: T.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false });
const bigPk = () => ({ type: T.BIGINT, primaryKey: true, autoIncrement: true, allowNull: false });
const operatorRef = (onDelete: 'CASCADE' | 'SET NULL', allowNull: boolean) => ({
  type: T.INTEGER,
  allowNull,
  references: { model: 'operators', key: 'id' },
  onDelete,
});
const str = (length: number, allowNull = true) => ({ type: T.STRING(length), allowNull });
const int = () => ({ type: T.INTEGER, allowNull: false, defaultValue: 0 });
const date = (allowNull = true) => ({ type: T.DATE, allowNull });

interface TableDef {
  name: string;
  columns: ModelAttributes;
  indexes?: Array<{ fields: string[]; unique?: boolean }>;
}

export const tables: TableDef[] = [
  {
    name: 'web_sessions',
    columns: {
      id_hash: { ...str(64, false), primaryKey: true },
      operator_id: operatorRef('CASCADE', false),
      ip: str(64),
      user_agent: str(255),
      created_at: date(false),
      last_seen_at: date(false),
      expires_at: date(false),
    },
    indexes: [{ fields: ['operator_id'] }, { fields: ['expires_at'] }],
  },
  {
    name: 'audit_log',
    columns: {
      id: bigPk(),
      at: date(false),
      operator_id: { type: T.INTEGER, allowNull: true },
      operator_login: str(64),
      action: str(40, false),
      target_type: str(32),
      target_id: str(64),
      detail: { type: T.TEXT, allowNull: true },
      ip: str(64),
    },
    indexes: [{ fields: ['operator_id'] }, { fields: ['target_type', 'target_id'] }, { fields: ['action'] }],
  },
  {
    name: 'login_throttles',
    columns: {
      key: { ...str(200, false), primaryKey: true },
      window_start: date(false),
      failures: int(),
      updated_at: date(false),
    },
    indexes: [{ fields: ['updated_at'] }],
  },
  {
    name: 'import_jobs',
    columns: {
      id: pk(),
      operator_id: operatorRef('SET NULL', true),
      file_name: str(255, false),
      status: str(16, false),
      total_bytes: { type: T.BIGINT, allowNull: false, defaultValue: 0 },
      bytes: { type: T.BIGINT, allowNull: false, defaultValue: 0 },
      rows: int(),
      inserted: int(),
      updated: int(),
      rejected: int(),
      error: str(255),
      created_at: date(false),
      updated_at: date(false),
      finished_at: date(),
    },
    indexes: [{ fields: ['status'] }],
  },
];

export async function up(qi: QueryInterface, transaction?: Transaction): Promise<void> {
  for (const table of tables) {
    await qi.createTable(table.name, table.columns, { transaction });
    for (const index of table.indexes ?? []) {
      await qi.addIndex(table.name, index.fields, { unique: index.unique ?? false, name: `${table.name}_${index.fields.join('_')}`, transaction });
    }
  }
  // Name search is a case-insensitive prefix search: SQLite needs NOCASE indexes for it; SQL Server's
  // default collations are case-insensitive already.
  const nocase = qi.sequelize.getDialect() === 'sqlite';
  for (const column of ['last_name', 'first_name']) {
    await qi.addIndex('recipients', { fields: [nocase ? { name: column, collate: 'NOCASE' } : column], name: `recipients_${column}_search`, transaction });
  }
}
