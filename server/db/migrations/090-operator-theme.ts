import { DataTypes, type QueryInterface, type Transaction } from 'sequelize';

/**
 * An operator's console appearance: `light` or `dark`, or NULL to follow the browser's
 * `prefers-color-scheme`. Frozen once released: later changes go in new migrations.
 */
export async function up(qi: QueryInterface, transaction?: Transaction): Promise<void> {
  await qi.addColumn('operators', 'theme', { type: DataTypes.STRING(8), allowNull: true }, { transaction });
}
