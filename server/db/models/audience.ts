import { Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { Condition } from '../filters/recipient-condition.js';
import type { BulkActionKind, BulkActionStatus } from '../../shared/glossary.js';
import { bind } from './bind.js';
import { date, int, intOrNull, json, pk, str, text, underscored } from './columns.js';

/** A saved segment: a named recipient condition, reusable as a delivery or workflow target (`{ "inSegment": name }`). */
export class Segment extends Model<InferAttributes<Segment>, InferCreationAttributes<Segment>> {
  declare id: CreationOptional<number>;
  declare name: string;
  declare label: string;
  declare description: CreationOptional<string | null>;
  declare condition: Condition;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

/** A custom field name some recipient has had (offered by the filter picker). */
export class CustomField extends Model<InferAttributes<CustomField>, InferCreationAttributes<CustomField>> {
  declare name: string;
  declare createdAt: CreationOptional<Date>;
}

/** A bulk action on a filtered selection, run in background batches (keyset on recipient id). */
export class BulkAction extends Model<InferAttributes<BulkAction>, InferCreationAttributes<BulkAction>> {
  declare id: CreationOptional<number>;
  declare operatorId: number | null;
  declare action: BulkActionKind;
  declare condition: Condition | null;
  declare segmentId: CreationOptional<number | null>;
  declare listId: CreationOptional<number | null>;
  declare serviceId: CreationOptional<number | null>;
  declare status: BulkActionStatus;
  declare total: CreationOptional<number>;
  declare done: CreationOptional<number>;
  declare affected: CreationOptional<number>;
  /** The last recipient id handled: where the next batch starts. */
  declare lastId: CreationOptional<number>;
  declare error: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare finishedAt: CreationOptional<Date | null>;
}

export function audiencesModels(sequelize: Sequelize) {
  return {
    Segment: bind(
      Segment,
      {
        id: pk(),
        name: str(100, false),
        label: str(200, false),
        description: text(),
        condition: json('condition', false),
        createdAt: date(false),
        updatedAt: date(false),
      },
      { sequelize, tableName: 'segments', ...underscored },
    ),
    CustomField: bind(
      CustomField,
      { name: { ...str(64, false), primaryKey: true }, createdAt: date(false) },
      { sequelize, tableName: 'custom_fields', ...underscored, updatedAt: false },
    ),
    BulkAction: bind(
      BulkAction,
      {
        id: pk(),
        operatorId: intOrNull(),
        action: str(24, false),
        condition: json('condition', false),
        segmentId: intOrNull(),
        listId: intOrNull(),
        serviceId: intOrNull(),
        status: str(16, false),
        total: int(),
        done: int(),
        affected: int(),
        lastId: int(),
        error: str(500),
        createdAt: date(false),
        updatedAt: date(false),
        finishedAt: date(),
      },
      { sequelize, tableName: 'bulk_actions', ...underscored },
    ),
  };
}
