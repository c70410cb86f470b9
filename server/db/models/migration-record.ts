import { Model, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { date, str } from './columns.js';
import { bind } from './bind.js';

/** A schema migration that has been applied. */
export class MigrationRecord extends Model<InferAttributes<MigrationRecord>, InferCreationAttributes<MigrationRecord>> {
  declare name: string;
  declare appliedAt: Date;
}

export const MIGRATIONS_TABLE = 'herald_migrations';

export function migrationRecordsModels(sequelize: Sequelize) {
  return {
    MigrationRecord: bind(
      MigrationRecord,
      { name: { ...str(100, false), primaryKey: true }, appliedAt: { ...date(false), field: 'applied_at' } },
      { sequelize, tableName: MIGRATIONS_TABLE, timestamps: false },
    ),
  };
}
