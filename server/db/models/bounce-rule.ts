import { Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { FailureReason, FailureType } from '../../shared/glossary.js';
import { date, intOrNull, pk, str, text, underscored } from './columns.js';
import { bind } from './bind.js';

/** An operator's qualification of one normalized bounce text, kept as a rule with its sample. */
export class BounceRule extends Model<InferAttributes<BounceRule>, InferCreationAttributes<BounceRule>> {
  declare id: CreationOptional<number>;
  declare textHash: string;
  declare normalizedText: string;
  declare sample: string;
  declare failureType: FailureType;
  declare failureReason: FailureReason;
  declare bounceTextId: CreationOptional<number | null>;
  declare createdBy: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export function bounceRulesModels(sequelize: Sequelize) {
  return {
    BounceRule: bind(
      BounceRule,
      {
        id: pk(),
        textHash: str(64, false),
        normalizedText: text(false),
        sample: text(false),
        failureType: str(16, false),
        failureReason: str(32, false),
        bounceTextId: intOrNull(),
        createdBy: str(100),
        createdAt: date(false),
        updatedAt: date(false),
      },
      { sequelize, tableName: 'bounce_rules', ...underscored },
    ),
  };
}
