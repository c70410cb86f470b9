import { Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { AbTestStatus } from '../../shared/glossary.js';
import { bind } from './bind.js';
import { bigint, date, intOrNull, int, json, pk, str, underscored } from './columns.js';

/** An A/B test a marketing workflow decided (see server/wfserver/marketing/ab-winner.ts for the rule). */
export class AbTest extends Model<InferAttributes<AbTest>, InferCreationAttributes<AbTest>> {
  declare id: CreationOptional<number>;
  declare workflowId: number;
  /** The winner activity, and the wave it decided for (one test per wave). */
  declare activity: string;
  declare waveKey: string;
  declare criterion: string;
  declare deliveryAId: number | null;
  declare deliveryBId: number | null;
  /** `{ A: {sent, openers, clickers}, B: …, rates: {A, B} }`, the counts the decision used. */
  declare counts: Record<string, unknown>;
  declare winner: 'A' | 'B';
  declare decidedBy: string;
  declare status: AbTestStatus;
  /** The rest's population held until confirmation. */
  declare taskId: CreationOptional<number | null>;
  declare restSize: CreationOptional<number>;
  declare winnerDeliveryId: CreationOptional<number | null>;
  declare decidedAt: Date;
  declare confirmedBy: CreationOptional<string | null>;
  declare confirmedAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export function abTestsModels(sequelize: Sequelize) {
  return {
    AbTest: bind(
      AbTest,
      {
        id: pk(),
        workflowId: { ...intOrNull(), allowNull: false },
        activity: str(40, false),
        waveKey: str(40, false),
        criterion: str(8, false),
        deliveryAId: intOrNull(),
        deliveryBId: intOrNull(),
        counts: json('counts', false),
        winner: str(1, false),
        decidedBy: str(8, false),
        status: str(24, false),
        taskId: bigint('taskId', { allowNull: true }),
        restSize: int(),
        winnerDeliveryId: intOrNull(),
        decidedAt: date(false),
        confirmedBy: str(100),
        confirmedAt: date(),
        createdAt: date(false),
        updatedAt: date(false),
      },
      { sequelize, tableName: 'ab_tests', ...underscored },
    ),
  };
}
