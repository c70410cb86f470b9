import { DataTypes, type QueryInterface, type Transaction } from 'sequelize';

/**
 * Third-party routing of direct mail and fax. `routing_extractions` holds one row per extraction
 * file (a delivery's messages, up to a maximum per file): written in steps (`preparing` while its
 * messages are claimed and the file written, `written` once the file is in the spool and its
 * messages sent to the provider, `uploaded` once on the provider's SFTP server), with the cost per
 * message and per delivery in force when it was written. A broad log names its extraction
 * (`extraction_id`), so a file written again after a crash holds the same messages.
 * `routing_returns` journals each return file imported (rows applied, rejected). Frozen once released.
 */
const T = DataTypes;

export async function up(qi: QueryInterface, transaction?: Transaction): Promise<void> {
  await qi.addColumn('broad_logs', 'extraction_id', { type: T.INTEGER, allowNull: true }, { transaction });
  await qi.addIndex('broad_logs', ['extraction_id'], { name: 'broad_logs_extraction', transaction });
  await qi.createTable(
    'routing_extractions',
    {
      id: { type: T.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
      delivery_id: { type: T.INTEGER, allowNull: false },
      channel: { type: T.STRING(16), allowNull: false },
      provider: { type: T.STRING(64), allowNull: false },
      file_name: { type: T.STRING(255), allowNull: true },
      status: { type: T.STRING(16), allowNull: false },
      messages: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
      message_cost: { type: T.FLOAT, allowNull: false, defaultValue: 0 },
      delivery_cost: { type: T.FLOAT, allowNull: false, defaultValue: 0 },
      currency: { type: T.STRING(3), allowNull: false },
      error: { type: T.STRING(1000), allowNull: true },
      created_at: { type: T.DATE, allowNull: false },
      written_at: { type: T.DATE, allowNull: true },
      uploaded_at: { type: T.DATE, allowNull: true },
    },
    { transaction },
  );
  await qi.addIndex('routing_extractions', ['status'], { name: 'routing_extractions_status', transaction });
  await qi.addIndex('routing_extractions', ['delivery_id'], { name: 'routing_extractions_delivery', transaction });
  await qi.createTable(
    'routing_returns',
    {
      id: { type: T.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
      provider: { type: T.STRING(64), allowNull: false },
      file_name: { type: T.STRING(255), allowNull: false },
      rows_read: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
      applied: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
      unchanged: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
      rejected: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
      imported_at: { type: T.DATE, allowNull: false },
    },
    { transaction },
  );
  await qi.addIndex('routing_returns', ['provider', 'imported_at'], { name: 'routing_returns_provider', transaction });
}
