import { Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { BroadLogStatus, EmailFormat, FailureReason, FailureType, ReceiptStatus } from '../../shared/glossary.js';
import { bigPk, date, int, intOrNull, str, text, underscored } from './columns.js';
import { bind } from './bind.js';

/**
 * The broad log: one row per message of a delivery (Adobe's NmsBroadLogRcp). It is also the MTA's
 * queue: due rows are claimed with a lease (owner + expiry).
 */
export class BroadLog extends Model<InferAttributes<BroadLog>, InferCreationAttributes<BroadLog>> {
  declare id: CreationOptional<number>;
  declare deliveryId: number;
  declare recipientId: number | null;
  declare address: string;
  declare emailFormat: EmailFormat;
  declare status: BroadLogStatus;
  declare failureType: CreationOptional<FailureType | null>;
  declare failureReason: CreationOptional<FailureReason | null>;
  declare failureText: CreationOptional<string | null>;
  declare bounceTextId: CreationOptional<number | null>;
  declare attempts: CreationOptional<number>;
  declare nextAttemptAt: CreationOptional<Date | null>;
  declare leaseOwner: CreationOptional<string | null>;
  declare leaseExpiresAt: CreationOptional<Date | null>;
  declare smtpResponse: CreationOptional<string | null>;
  declare messageId: CreationOptional<string | null>;
  declare sentAt: CreationOptional<Date | null>;
  /** When the recipient complained about this message (spam report); the message stays sent. */
  declare complainedAt: CreationOptional<Date | null>;
  /** SMS: segments the message took (operators bill per segment). */
  declare segments: CreationOptional<number>;
  /** SMS: what the delivery receipt said, and when. */
  declare receiptStatus: CreationOptional<ReceiptStatus | null>;
  declare receiptAt: CreationOptional<Date | null>;
  /** Direct mail and fax: the extraction file the message was written to (routing_extractions). */
  declare extractionId: CreationOptional<number | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

/** Why a targeted recipient got no message (Adobe's exclusion log). */
export class ExclusionLog extends Model<InferAttributes<ExclusionLog>, InferCreationAttributes<ExclusionLog>> {
  declare id: CreationOptional<number>;
  declare deliveryId: number;
  declare recipientId: number | null;
  declare address: string | null;
  declare reason: FailureReason;
  declare detail: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
}

export function broadLogsModels(sequelize: Sequelize) {
  return {
    BroadLog: bind(
      BroadLog,
      {
        id: bigPk(),
        deliveryId: { ...intOrNull(), allowNull: false },
        recipientId: intOrNull(),
        address: str(320, false),
        emailFormat: str(8, false),
        status: str(16, false),
        failureType: str(16),
        failureReason: str(32),
        failureText: text(),
        bounceTextId: intOrNull(),
        attempts: int(),
        nextAttemptAt: date(),
        leaseOwner: str(64),
        leaseExpiresAt: date(),
        smtpResponse: text(),
        messageId: str(255),
        sentAt: date(),
        complainedAt: date(),
        segments: int(),
        receiptStatus: str(16),
        receiptAt: date(),
        extractionId: intOrNull(),
        createdAt: date(false),
        updatedAt: date(false),
      },
      { sequelize, tableName: 'broad_logs', ...underscored },
    ),
    ExclusionLog: bind(
      ExclusionLog,
      {
        id: bigPk(),
        deliveryId: { ...intOrNull(), allowNull: false },
        recipientId: intOrNull(),
        address: str(320),
        reason: str(32, false),
        detail: str(255),
        createdAt: date(false),
      },
      { sequelize, tableName: 'exclusion_logs', ...underscored, updatedAt: false },
    ),
  };
}
