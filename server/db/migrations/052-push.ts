import { DataTypes, type QueryInterface, type Transaction } from 'sequelize';

/**
 * Web push subscriptions (RFC 8030/8291): one row per browser a recipient subscribed from, with the
 * push service's endpoint (unique through its SHA-256, an endpoint being longer than an index
 * allows on SQL Server), the subscription's P-256 public key and auth secret. A subscription the
 * push service answers 404 or 410 for is `expired` and never used again. Frozen once released.
 */
const T = DataTypes;

export async function up(qi: QueryInterface, transaction?: Transaction): Promise<void> {
  await qi.createTable(
    'push_subscriptions',
    {
      id: { type: T.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
      recipient_id: { type: T.INTEGER, allowNull: false },
      endpoint: { type: T.TEXT, allowNull: false },
      endpoint_hash: { type: T.STRING(64), allowNull: false },
      p256dh: { type: T.STRING(100), allowNull: false },
      auth: { type: T.STRING(40), allowNull: false },
      status: { type: T.STRING(16), allowNull: false, defaultValue: 'active' },
      failure_text: { type: T.STRING(255), allowNull: true },
      created_at: { type: T.DATE, allowNull: false },
      updated_at: { type: T.DATE, allowNull: false },
    },
    { transaction },
  );
  await qi.addIndex('push_subscriptions', ['endpoint_hash'], { name: 'push_subscriptions_endpoint', unique: true, transaction });
  await qi.addIndex('push_subscriptions', ['recipient_id', 'status'], { name: 'push_subscriptions_recipient', transaction });
}
