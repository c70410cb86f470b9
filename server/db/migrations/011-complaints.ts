import { DataTypes, type QueryInterface, type Transaction } from 'sequelize';

/**
 * Complaints are not failures: a delivery counts the spam complaints its messages drew
 * (`deliveries.complaints`, next to sent and failed), and the broad log keeps when its message was
 * complained about (`broad_logs.complained_at`, which also makes a repeated complaint count once).
 * Frozen once released.
 */
const T = DataTypes;

export async function up(qi: QueryInterface, transaction?: Transaction): Promise<void> {
  await qi.addColumn('deliveries', 'complaints', { type: T.INTEGER, allowNull: false, defaultValue: 0 }, { transaction });
  await qi.addColumn('broad_logs', 'complained_at', { type: T.DATE, allowNull: true }, { transaction });
}
