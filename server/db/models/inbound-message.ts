import { Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { bigPk, date, int, str, underscored } from './columns.js';
import { bind } from './bind.js';

/** Inbound mail that inMail could not match or parse, kept with a reason for review (never deleted silently). */
export class InboundMessage extends Model<InferAttributes<InboundMessage>, InferCreationAttributes<InboundMessage>> {
  declare id: CreationOptional<number>;
  declare receivedAt: Date;
  declare mailFrom: CreationOptional<string | null>;
  declare rcptTo: CreationOptional<string | null>;
  declare subject: CreationOptional<string | null>;
  declare messageId: CreationOptional<string | null>;
  declare kind: 'dsn' | 'arf' | 'autoreply' | 'unsubscribe' | 'unknown' | 'not_bounce';
  declare status: 'unmatched' | 'unparsable' | 'forged' | 'reviewed';
  declare reason: CreationOptional<string | null>;
  declare spoolFile: CreationOptional<string | null>;
  declare size: CreationOptional<number>;
  declare createdAt: CreationOptional<Date>;
}

export function inboundMessagesModels(sequelize: Sequelize) {
  return {
    InboundMessage: bind(
      InboundMessage,
      {
        id: bigPk(),
        receivedAt: date(false),
        mailFrom: str(320),
        rcptTo: str(320),
        subject: str(255),
        messageId: str(255),
        kind: str(16, false),
        status: str(16, false),
        reason: str(255),
        spoolFile: str(255),
        size: int(),
        createdAt: date(false),
      },
      { sequelize, tableName: 'inbound_messages', ...underscored, updatedAt: false },
    ),
  };
}
