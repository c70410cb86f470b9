import { DataTypes, type QueryInterface, type Transaction } from 'sequelize';

/**
 * A push delivery's own fields (title, body, the page it opens, icon, image, TTL, urgency) as JSON
 * in `push_content`. Push deliveries written before keep it null and are sent as they were: the
 * subject as title, the text part as body, its first link as the page opened. Frozen once released.
 */
export async function up(qi: QueryInterface, transaction?: Transaction): Promise<void> {
  await qi.addColumn('deliveries', 'push_content', { type: DataTypes.TEXT, allowNull: true }, { transaction });
}
