import { DataTypes, type QueryInterface, type Transaction } from 'sequelize';

/**
 * A/B tests decided by marketing workflows: the two variants' deliveries, the counts the decision
 * used, the winner and how it was decided, and the winner's delivery to the rest of the target
 * (sent automatically, or once an operator confirmed). One row per workflow wave and activity.
 */

const T = DataTypes;

/** The tables this migration creates. */
export const tables = ['ab_tests'] as const;
const str = (length: number, allowNull = true) => ({ type: T.STRING(length), allowNull });
const date = (allowNull = true) => ({ type: T.DATE, allowNull });

export async function up(qi: QueryInterface, transaction?: Transaction): Promise<void> {
  await qi.createTable(
    'ab_tests',
    {
      id: { type: T.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
      workflow_id: { type: T.INTEGER, allowNull: false, references: { model: 'workflows', key: 'id' }, onDelete: 'CASCADE' },
      activity: str(40, false),
      wave_key: str(40, false),
      criterion: str(8, false),
      delivery_a_id: { type: T.INTEGER, allowNull: true },
      delivery_b_id: { type: T.INTEGER, allowNull: true },
      counts: { type: T.TEXT, allowNull: false },
      winner: str(1, false),
      decided_by: str(8, false),
      status: str(24, false),
      task_id: { type: T.BIGINT, allowNull: true },
      rest_size: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
      winner_delivery_id: { type: T.INTEGER, allowNull: true },
      decided_at: date(false),
      confirmed_by: str(100),
      confirmed_at: date(),
      created_at: date(false),
      updated_at: date(false),
    },
    { transaction },
  );
  await qi.addIndex('ab_tests', ['workflow_id', 'activity', 'wave_key'], { unique: true, name: 'ab_tests_wave', transaction });
  await qi.addIndex('ab_tests', ['status'], { name: 'ab_tests_status', transaction });
}
