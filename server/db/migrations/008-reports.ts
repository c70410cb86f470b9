import { DataTypes, type ModelAttributes, type QueryInterface, type Transaction } from 'sequelize';

/**
 * Reports: aggregates that the report pages read instead of raw logs, refreshed by the
 * `reportStats` technical workflow (failures of a delivery by recipient domain and reason;
 * subscription events per service and UTC day), and the indexes the console's live and report
 * queries walk: failed messages of a delivery by reason (the dashboard counts them from the index
 * alone), subscription history by time (the aggregation reads only recent rows), quarantines by
 * status and reason, and the workflow journal by status. Frozen once released.
 */

const T = DataTypes;
const int = () => ({ type: T.INTEGER, allowNull: false, defaultValue: 0 });
const str = (length: number) => ({ type: T.STRING(length), allowNull: false });

interface TableDef {
  name: string;
  columns: ModelAttributes;
}

export const tables: TableDef[] = [
  {
    name: 'delivery_failure_stats',
    columns: {
      delivery_id: { type: T.INTEGER, allowNull: false, primaryKey: true },
      domain: { ...str(255), primaryKey: true },
      failure_type: { ...str(16), primaryKey: true },
      failure_reason: { ...str(32), primaryKey: true },
      messages: int(),
      computed_at: { type: T.DATE, allowNull: false },
    },
  },
  {
    name: 'subscription_daily_stats',
    columns: {
      service_id: { type: T.INTEGER, allowNull: false, primaryKey: true },
      /** The UTC day, `YYYY-MM-DD` (text: the same on both dialects, sorts as it reads). */
      day: { ...str(10), primaryKey: true },
      subscribed: int(),
      confirmed: int(),
      unsubscribed: int(),
      expired: int(),
      computed_at: { type: T.DATE, allowNull: false },
    },
  },
];

export const INDEXES: ReadonlyArray<{ table: string; fields: string[]; name: string }> = [
  { table: 'broad_logs', fields: ['delivery_id', 'status', 'failure_reason'], name: 'broad_logs_failures' },
  { table: 'subscription_history', fields: ['at'], name: 'subscription_history_at' },
  { table: 'quarantines', fields: ['status', 'failure_reason'], name: 'quarantines_status_reason' },
  { table: 'workflow_runs', fields: ['status', 'started_at'], name: 'workflow_runs_status' },
];

export async function up(qi: QueryInterface, transaction?: Transaction): Promise<void> {
  for (const table of tables) await qi.createTable(table.name, table.columns, { transaction });
  for (const index of INDEXES) await qi.addIndex(index.table, index.fields, { name: index.name, transaction });
}
