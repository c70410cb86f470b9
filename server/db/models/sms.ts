import { Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { bigint, bigPk, date, int, str, text, underscored } from './columns.js';
import { bind } from './bind.js';

/** One SMS segment an SMSC accepted: its message id leads a delivery receipt back to the broad log. */
export class SmsSubmit extends Model<InferAttributes<SmsSubmit>, InferCreationAttributes<SmsSubmit>> {
  declare id: CreationOptional<number>;
  declare connector: string;
  declare messageId: string;
  declare broadLogId: number;
  declare deliveryId: number;
  declare part: number;
  declare createdAt: Date;
}

/** What an SMS inbound message led to: a STOP word unsubscribed its number, or it waits for review. */
export type SmsInboundAction = 'unsubscribed' | 'review' | 'reviewed';

/** A mobile-originated message (MO) received from an SMSC. */
export class SmsInbound extends Model<InferAttributes<SmsInbound>, InferCreationAttributes<SmsInbound>> {
  declare id: CreationOptional<number>;
  declare connector: string;
  /** The sender's number (E.164 when the SMSC gives an international number). */
  declare source: string;
  declare destination: string;
  declare text: string;
  /** The STOP word recognised, if any. */
  declare keyword: CreationOptional<string | null>;
  declare action: SmsInboundAction;
  /** Recipients whose number it unsubscribed. */
  declare recipients: CreationOptional<number>;
  declare receivedAt: Date;
  declare reviewedAt: CreationOptional<Date | null>;
}

export function smsModels(sequelize: Sequelize) {
  return {
    SmsSubmit: bind(
      SmsSubmit,
      {
        id: bigPk(),
        connector: str(64, false),
        messageId: str(64, false),
        broadLogId: bigint('broadLogId', { allowNull: false }),
        deliveryId: { ...int(), defaultValue: undefined },
        part: int(1),
        createdAt: date(false),
      },
      { sequelize, tableName: 'sms_submits', ...underscored, updatedAt: false },
    ),
    SmsInbound: bind(
      SmsInbound,
      {
        id: bigPk(),
        connector: str(64, false),
        source: str(21, false),
        destination: str(21, false),
        text: text(false),
        keyword: str(32),
        action: str(16, false),
        recipients: int(),
        receivedAt: date(false),
        reviewedAt: date(),
      },
      { sequelize, tableName: 'sms_inbound', ...underscored, createdAt: false, updatedAt: false },
    ),
  };
}
