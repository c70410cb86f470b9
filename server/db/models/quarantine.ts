import { Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { BounceTextStatus, Channel, FailureReason, FailureType, QuarantineStatus } from '../../shared/glossary.js';
import { date, int, intOrNull, pk, str, text, underscored } from './columns.js';
import { bind } from './bind.js';

/** Quarantine state of one address (not a profile): Adobe's NmsAddress. Addresses are lower case. */
export class Quarantine extends Model<InferAttributes<Quarantine>, InferCreationAttributes<Quarantine>> {
  declare id: CreationOptional<number>;
  declare address: string;
  declare domain: string;
  /** The channel of the address: an email address, a mobile number (sms), a push subscription… */
  declare channel: CreationOptional<Channel>;
  declare status: QuarantineStatus;
  declare failureType: CreationOptional<FailureType | null>;
  declare failureReason: CreationOptional<FailureReason | null>;
  /** Significant errors counted (at most one per day). */
  declare errorCount: CreationOptional<number>;
  declare lastErrorAt: CreationOptional<Date | null>;
  declare text: CreationOptional<string | null>;
  declare deliveryId: CreationOptional<number | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

/** A normalized SMTP or bounce text with its qualification (Adobe's NmsBroadLogMsg). */
export class BounceText extends Model<InferAttributes<BounceText>, InferCreationAttributes<BounceText>> {
  declare id: CreationOptional<number>;
  /** SHA-256 of the normalized text, the unique key (texts are too long to index). */
  declare textHash: string;
  declare text: string;
  declare firstText: string;
  declare failureType: FailureType;
  declare failureReason: FailureReason;
  declare rule: CreationOptional<string | null>;
  declare status: BounceTextStatus;
  declare occurrences: CreationOptional<number>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export function quarantineModels(sequelize: Sequelize) {
  return {
    Quarantine: bind(
      Quarantine,
      {
        id: pk(),
        address: str(320, false),
        domain: str(255, false),
        channel: { ...str(16, false), defaultValue: 'email' },
        status: str(16, false),
        failureType: str(16),
        failureReason: str(32),
        errorCount: int(),
        lastErrorAt: date(),
        text: text(),
        deliveryId: intOrNull(),
        createdAt: date(false),
        updatedAt: date(false),
      },
      { sequelize, tableName: 'quarantines', ...underscored },
    ),
    BounceText: bind(
      BounceText,
      {
        id: pk(),
        textHash: str(64, false),
        text: text(false),
        firstText: text(false),
        failureType: str(16, false),
        failureReason: str(32, false),
        rule: str(100),
        status: str(16, false),
        occurrences: int(1),
        createdAt: date(false),
        updatedAt: date(false),
      },
      { sequelize, tableName: 'bounce_texts', ...underscored },
    ),
  };
}
