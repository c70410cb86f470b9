import { DataTypes, type QueryInterface, type Transaction } from 'sequelize';

/**
 * The error-rate guard of the MTA judges a domain on distinct messages, not on attempts: per domain
 * and slot, the messages whose first attempt reached the server (`first_attempts`), those of them
 * refused with a temporary error (`first_attempt_errors`) and the messages accepted on a retry after
 * such a refusal (`recovered`). Connection failures are not counted there: they lead to a short
 * back-off of the domain, not to the block. A block records when it began (`blocked_at_ms`).
 * Frozen once released.
 */
const T = DataTypes;
const counter = { type: T.INTEGER, allowNull: false, defaultValue: 0 };

export async function up(qi: QueryInterface, transaction?: Transaction): Promise<void> {
  for (const column of ['first_attempts', 'first_attempt_errors', 'recovered']) await qi.addColumn('smtp_stats', column, counter, { transaction });
  for (const column of ['blocked_at_ms', 'unblocked_at_ms'])
    await qi.addColumn('mta_throttle', column, { type: T.BIGINT, allowNull: false, defaultValue: 0 }, { transaction });
}
