import { DataTypes, Op, type ModelAttributes, type QueryInterface, type Transaction } from 'sequelize';

/**
 * What recipients and other systems reach from outside: transactional event types and their
 * published templates, the deliveries events are routed into (one per template version and month),
 * the events themselves (stored before the API answers), double opt-in signups waiting for their
 * confirmation, counters of the public forms' rate limits, and the webhook log with the cursors of
 * its sources. Frozen once released: later changes go in new migrations.
 */

const T = DataTypes;
const pk = () => ({ type: T.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false });
const bigPk = () => ({ type: T.BIGINT, primaryKey: true, autoIncrement: true, allowNull: false });
const str = (length: number, allowNull = true) => ({ type: T.STRING(length), allowNull });
const text = (allowNull = true) => ({ type: T.TEXT, allowNull });
const int = (allowNull = false) => ({ type: T.INTEGER, allowNull, ...(allowNull ? {} : { defaultValue: 0 }) });
const date = (allowNull = true) => ({ type: T.DATE, allowNull });

interface IndexDef {
  fields: string[];
  unique?: boolean;
  /** A filtered index: only rows whose column is not NULL (SQL Server allows one NULL per unique index). */
  notNull?: string;
}

interface TableDef {
  name: string;
  columns: ModelAttributes;
  indexes?: IndexDef[];
}

export const tables: TableDef[] = [
  {
    name: 'event_types',
    columns: {
      id: pk(),
      name: str(64, false),
      label: str(255, false),
      template_id: { type: T.INTEGER, allowNull: true, references: { model: 'deliveries', key: 'id' }, onDelete: 'SET NULL' },
      version: int(),
      published_at: date(),
      created_at: date(false),
      updated_at: date(false),
    },
    indexes: [{ fields: ['name'], unique: true }],
  },
  {
    name: 'event_deliveries',
    columns: {
      id: pk(),
      event_type_id: { type: T.INTEGER, allowNull: false, references: { model: 'event_types', key: 'id' }, onDelete: 'CASCADE' },
      version: int(),
      period: str(7, false),
      // No foreign key: SQL Server refuses a second cascade path from deliveries (through event_types).
      delivery_id: { type: T.INTEGER, allowNull: false },
      created_at: date(false),
    },
    indexes: [{ fields: ['event_type_id', 'version', 'period'] }, { fields: ['delivery_id'] }],
  },
  {
    name: 'events',
    columns: {
      id: bigPk(),
      type: str(64, false),
      email: str(320, false),
      ctx: text(),
      status: str(16, false),
      event_type_id: int(true),
      delivery_id: int(true),
      broad_log_id: { type: T.BIGINT, allowNull: true },
      origin: str(16, false),
      api_key_id: int(true),
      idempotency_scope: str(150),
      request_hash: str(64),
      created_at: date(false),
    },
    indexes: [
      { fields: ['idempotency_scope'], unique: true, notNull: 'idempotency_scope' },
      { fields: ['broad_log_id'] },
      { fields: ['email'] },
      { fields: ['created_at'] },
    ],
  },
  {
    name: 'signups',
    columns: {
      id: pk(),
      email: str(320, false),
      first_name: str(255),
      last_name: str(255),
      service_ids: text(false),
      event_id: { type: T.BIGINT, allowNull: true },
      created_at: date(false),
      expires_at: date(false),
      confirmed_at: date(),
    },
    indexes: [{ fields: ['email', 'created_at'] }, { fields: ['expires_at'] }],
  },
  {
    name: 'rate_limits',
    columns: {
      key: { ...str(200, false), primaryKey: true },
      window_start: date(false),
      hits: int(),
      updated_at: date(false),
    },
    indexes: [{ fields: ['updated_at'] }],
  },
  {
    name: 'webhook_cursors',
    columns: {
      source: { ...str(32, false), primaryKey: true },
      position: str(100, false),
      updated_at: date(false),
    },
  },
  {
    name: 'webhook_deliveries',
    columns: {
      id: bigPk(),
      endpoint: str(100, false),
      event_type: str(32, false),
      event_key: str(100, false),
      payload: text(false),
      status: str(16, false),
      attempts: int(),
      next_attempt_at: date(),
      last_status: int(true),
      last_error: str(255),
      sent_at: date(),
      created_at: date(false),
      updated_at: date(false),
    },
    indexes: [{ fields: ['endpoint', 'event_key'], unique: true }, { fields: ['status', 'next_attempt_at'] }, { fields: ['created_at'] }],
  },
];

export async function up(qi: QueryInterface, transaction?: Transaction): Promise<void> {
  for (const table of tables) {
    await qi.createTable(table.name, table.columns, { transaction });
    for (const index of table.indexes ?? []) {
      const where = index.notNull ? { [index.notNull]: { [Op.ne]: null } } : undefined;
      await qi.addIndex(table.name, index.fields, { unique: index.unique ?? false, name: `${table.name}_${index.fields.join('_')}`, where, transaction });
    }
  }
}
