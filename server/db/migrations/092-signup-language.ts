import { DataTypes, type QueryInterface, type Transaction } from 'sequelize';

/**
 * The language a public form was answered in, kept with the signup: the confirmation mail is written
 * in it, and a recipient who confirms gets it when they have no language of their own. NULL for
 * signups made before (and through the API, which has no form). Frozen once released: later changes
 * go in new migrations.
 */
export async function up(qi: QueryInterface, transaction?: Transaction): Promise<void> {
  await qi.addColumn('signups', 'language', { type: DataTypes.STRING(8), allowNull: true }, { transaction });
}
