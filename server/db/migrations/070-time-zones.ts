import { DataTypes, type QueryInterface, type Transaction } from 'sequelize';

/**
 * Time zones (IANA names, checked by the application): an operator's preference (dates in the
 * console), a recipient's own zone (else their country's, migration 050, for a delivery sent at a
 * local time), a
 * delivery's zone and the local time of day it is sent at in each recipient's zone. A workflow's
 * Scheduler keeps its zone in its schedule (`CRON_TZ=<zone> <cron>`, migration 032's design).
 * Frozen once released: later changes go in new migrations.
 */
export async function up(qi: QueryInterface, transaction?: Transaction): Promise<void> {
  const zone = { type: DataTypes.STRING(64), allowNull: true };
  await qi.addColumn('operators', 'time_zone', zone, { transaction });
  await qi.addColumn('recipients', 'time_zone', zone, { transaction });
  await qi.addColumn('deliveries', 'time_zone', zone, { transaction });
  await qi.addColumn('deliveries', 'local_send_time', { type: DataTypes.STRING(5), allowNull: true }, { transaction });
}
