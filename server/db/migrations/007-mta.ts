import { DataTypes, type QueryInterface, type Transaction } from 'sequelize';

/**
 * MTA state shared by every MTA process through the database: per-domain pacing and blocks
 * (mta_throttle), the live MTA processes (mta_instances, to split connection limits), and the
 * index the queue claim walks: pending messages of one delivery by due time.
 */
const T = DataTypes;

export const tables = ['mta_throttle', 'mta_instances'];

export async function up(qi: QueryInterface, transaction?: Transaction): Promise<void> {
  await qi.createTable(
    'mta_throttle',
    {
      key: { type: T.STRING(255), primaryKey: true, allowNull: false },
      tat_ms: { type: T.BIGINT, allowNull: false, defaultValue: 0 },
      blocked_until_ms: { type: T.BIGINT, allowNull: false, defaultValue: 0 },
      block_reason: { type: T.STRING(255), allowNull: true },
      updated_at: { type: T.DATE, allowNull: false },
    },
    { transaction },
  );
  await qi.createTable(
    'mta_instances',
    {
      id: { type: T.STRING(64), primaryKey: true, allowNull: false },
      host: { type: T.STRING(255), allowNull: false },
      pid: { type: T.INTEGER, allowNull: false },
      started_at: { type: T.DATE, allowNull: false },
      last_seen_at: { type: T.DATE, allowNull: false },
    },
    { transaction },
  );
  await qi.addIndex('broad_logs', ['delivery_id', 'status', 'next_attempt_at'], { name: 'broad_logs_claim', transaction });
}
