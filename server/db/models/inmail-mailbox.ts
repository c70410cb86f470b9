import { Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { bigPk, date, int, str, underscored } from './columns.js';
import { bind } from './bind.js';

/** A bounce mailbox read over IMAP or POP3: its counters and last error. */
export class InmailMailbox extends Model<InferAttributes<InmailMailbox>, InferCreationAttributes<InmailMailbox>> {
  declare name: string;
  declare protocol: 'imap' | 'pop3';
  declare messages: CreationOptional<number>;
  declare unrecognised: CreationOptional<number>;
  declare lastPollAt: CreationOptional<Date | null>;
  declare lastError: CreationOptional<string | null>;
  declare lastErrorAt: CreationOptional<Date | null>;
  declare updatedAt: CreationOptional<Date>;
}

/** A message of a bounce mailbox whose effects are applied, until it has left the mailbox's folder. */
export class InmailMailboxMessage extends Model<InferAttributes<InmailMailboxMessage>, InferCreationAttributes<InmailMailboxMessage>> {
  declare id: CreationOptional<number>;
  declare mailbox: string;
  declare messageKey: string;
  declare outcome: 'processed' | 'unrecognised';
  declare spoolId: string;
  declare processedAt: Date;
}

export function inmailMailboxesModels(sequelize: Sequelize) {
  return {
    InmailMailbox: bind(
      InmailMailbox,
      {
        name: { ...str(64, false), primaryKey: true },
        protocol: str(8, false),
        messages: int(),
        unrecognised: int(),
        lastPollAt: date(),
        lastError: str(500),
        lastErrorAt: date(),
        updatedAt: date(false),
      },
      { sequelize, tableName: 'inmail_mailboxes', ...underscored, createdAt: false },
    ),
    InmailMailboxMessage: bind(
      InmailMailboxMessage,
      {
        id: bigPk(),
        mailbox: str(64, false),
        messageKey: str(255, false),
        outcome: str(16, false),
        spoolId: str(64, false),
        processedAt: date(false),
      },
      { sequelize, tableName: 'inmail_mailbox_messages', ...underscored, timestamps: false },
    ),
  };
}
