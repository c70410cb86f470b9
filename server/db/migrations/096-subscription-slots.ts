import { DataTypes, type QueryInterface, type Transaction } from 'sequelize';

/**
 * Subscription events per service and UTC quarter hour instead of per UTC day, so that the report
 * can fold them into the days of any time zone (every zone's offset is a whole number of quarter
 * hours). The daily table goes; the reportStats workflow fills the new one from the whole
 * subscription history on its next run. Frozen once released: later changes go in new migrations.
 */
const T = DataTypes;
const int = () => ({ type: T.INTEGER, allowNull: false, defaultValue: 0 });

export async function up(qi: QueryInterface, transaction?: Transaction): Promise<void> {
  await qi.createTable(
    'subscription_slot_stats',
    {
      service_id: { type: T.INTEGER, allowNull: false, primaryKey: true },
      /** The UTC quarter hour the events fell in, `YYYY-MM-DD HH:MM` (text: the same on every dialect, sorts as it reads). */
      slot: { type: T.STRING(16), allowNull: false, primaryKey: true },
      subscribed: int(),
      confirmed: int(),
      unsubscribed: int(),
      expired: int(),
      computed_at: { type: T.DATE, allowNull: false },
    },
    { transaction },
  );
  await qi.dropTable('subscription_daily_stats', { transaction });
}
