import { DataTypes, type QueryInterface, type Transaction } from 'sequelize';

/**
 * When a delivery was last paused: on resume, a delivery sent at a local time of day plans again the
 * messages whose time passed during the pause. Frozen once released: later changes go in new migrations.
 */
export async function up(qi: QueryInterface, transaction?: Transaction): Promise<void> {
  await qi.addColumn('deliveries', 'paused_at', { type: DataTypes.DATE, allowNull: true }, { transaction });
}
