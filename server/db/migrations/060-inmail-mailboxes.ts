import { DataTypes, type QueryInterface, type Transaction } from 'sequelize';

/**
 * Bounce mailboxes read over IMAP or POP3 ([[inmail.mailboxes]]): one row per mailbox with its
 * counters and last error (the monitoring page), and one row per message inMail has processed but
 * not yet moved or deleted on the server. That row is written in the transaction that applies the
 * message's effects, so a message fetched again after a crash is recognised and not counted twice;
 * it is removed once the message has left the mailbox's folder. Frozen once released.
 */
const T = DataTypes;

export const tables = ['inmail_mailboxes', 'inmail_mailbox_messages'];

export async function up(qi: QueryInterface, transaction?: Transaction): Promise<void> {
  await qi.createTable(
    'inmail_mailboxes',
    {
      name: { type: T.STRING(64), primaryKey: true, allowNull: false },
      protocol: { type: T.STRING(8), allowNull: false },
      messages: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
      unrecognised: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
      last_poll_at: { type: T.DATE, allowNull: true },
      last_error: { type: T.STRING(500), allowNull: true },
      last_error_at: { type: T.DATE, allowNull: true },
      updated_at: { type: T.DATE, allowNull: false },
    },
    { transaction },
  );
  await qi.createTable(
    'inmail_mailbox_messages',
    {
      id: { type: T.BIGINT, primaryKey: true, autoIncrement: true, allowNull: false },
      mailbox: { type: T.STRING(64), allowNull: false },
      message_key: { type: T.STRING(255), allowNull: false },
      outcome: { type: T.STRING(16), allowNull: false },
      spool_id: { type: T.STRING(64), allowNull: false },
      processed_at: { type: T.DATE, allowNull: false },
    },
    { transaction },
  );
  await qi.addIndex('inmail_mailbox_messages', ['mailbox', 'message_key'], { name: 'inmail_mailbox_messages_key', unique: true, transaction });
}
