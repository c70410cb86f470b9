import { DataTypes, type QueryInterface, type Transaction } from 'sequelize';

/**
 * Versioned workflow definitions: every definition a marketing workflow is started with is kept in
 * `workflow_versions` (numbered per workflow); `workflows.version` is the one it runs, each run
 * records the version it ran (`workflow_runs.version`), and the console editor works on
 * `workflows.draft` (which may not validate yet) without touching the running version.
 * Frozen once released: later changes go in new migrations.
 */

const T = DataTypes;

/** The tables this migration creates. */
export const tables = ['workflow_versions'] as const;

export async function up(qi: QueryInterface, transaction?: Transaction): Promise<void> {
  await qi.createTable(
    'workflow_versions',
    {
      id: { type: T.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
      workflow_id: { type: T.INTEGER, allowNull: false },
      version: { type: T.INTEGER, allowNull: false },
      definition: { type: T.TEXT, allowNull: false },
      created_by: { type: T.STRING(100), allowNull: true },
      created_at: { type: T.DATE, allowNull: false },
    },
    { transaction },
  );
  await qi.addIndex('workflow_versions', ['workflow_id', 'version'], { unique: true, name: 'workflow_versions_number', transaction });
  await qi.addColumn('workflows', 'draft', { type: T.TEXT, allowNull: true }, { transaction });
  await qi.addColumn('workflows', 'version', { type: T.INTEGER, allowNull: true }, { transaction });
  await qi.addColumn('workflow_runs', 'version', { type: T.INTEGER, allowNull: true }, { transaction });
}
