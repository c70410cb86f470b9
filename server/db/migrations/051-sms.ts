import { DataTypes, type QueryInterface, type Transaction } from 'sequelize';

/**
 * The SMS module's tables. A broad log of an SMS delivery keeps the segments it took (operators
 * bill per segment) and what its delivery receipt said (`receipt_status`, `receipt_at`).
 * `sms_submits` holds one row per segment the SMSC accepted, keyed by the SMSC's message id, so a
 * receipt finds its message; `sms_inbound` keeps mobile-originated messages (a STOP word and the
 * unsubscription it made, or a reply kept for review). Frozen once released.
 */
const T = DataTypes;

export async function up(qi: QueryInterface, transaction?: Transaction): Promise<void> {
  await qi.addColumn('broad_logs', 'segments', { type: T.INTEGER, allowNull: false, defaultValue: 0 }, { transaction });
  await qi.addColumn('broad_logs', 'receipt_status', { type: T.STRING(16), allowNull: true }, { transaction });
  await qi.addColumn('broad_logs', 'receipt_at', { type: T.DATE, allowNull: true }, { transaction });
  await qi.createTable(
    'sms_submits',
    {
      id: { type: T.BIGINT, primaryKey: true, autoIncrement: true, allowNull: false },
      connector: { type: T.STRING(64), allowNull: false },
      message_id: { type: T.STRING(64), allowNull: false },
      broad_log_id: { type: T.BIGINT, allowNull: false },
      delivery_id: { type: T.INTEGER, allowNull: false },
      part: { type: T.INTEGER, allowNull: false, defaultValue: 1 },
      created_at: { type: T.DATE, allowNull: false },
    },
    { transaction },
  );
  await qi.addIndex('sms_submits', ['message_id', 'connector'], { name: 'sms_submits_message', unique: true, transaction });
  await qi.addIndex('sms_submits', ['broad_log_id'], { name: 'sms_submits_broad_log', transaction });
  await qi.addIndex('sms_submits', ['created_at'], { name: 'sms_submits_created_at', transaction });
  await qi.createTable(
    'sms_inbound',
    {
      id: { type: T.BIGINT, primaryKey: true, autoIncrement: true, allowNull: false },
      connector: { type: T.STRING(64), allowNull: false },
      source: { type: T.STRING(21), allowNull: false },
      destination: { type: T.STRING(21), allowNull: false },
      text: { type: T.TEXT, allowNull: false },
      keyword: { type: T.STRING(32), allowNull: true },
      action: { type: T.STRING(16), allowNull: false },
      recipients: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
      received_at: { type: T.DATE, allowNull: false },
      reviewed_at: { type: T.DATE, allowNull: true },
    },
    { transaction },
  );
  await qi.addIndex('sms_inbound', ['action', 'received_at'], { name: 'sms_inbound_action', transaction });
}
