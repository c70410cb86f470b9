import { DataTypes, type ModelAttributes, type QueryInterface, type Transaction } from 'sequelize';

/**
 * Marketing-workflow state that outlives a run: populations waiting at an activity until a due time
 * (a Wait, or the start of a workflow), their members, and the recipients an incremental Query has
 * already targeted (so a drip series welcomes each subscriber once). Frozen once released.
 * Member and target rows carry no foreign keys: they are purged in batches, like the log tables.
 * Also records in the run journal which schedule slot a run was for.
 */

const T = DataTypes;
const str = (length: number, allowNull = true) => ({ type: T.STRING(length), allowNull });
const date = (allowNull = true) => ({ type: T.DATE, allowNull });

interface TableDef {
  name: string;
  columns: ModelAttributes;
  indexes?: Array<{ fields: string[]; unique?: boolean; name?: string }>;
}

export const tables: TableDef[] = [
  {
    name: 'workflow_tasks',
    columns: {
      id: { type: T.BIGINT, primaryKey: true, autoIncrement: true, allowNull: false },
      workflow_id: { type: T.INTEGER, allowNull: false, references: { model: 'workflows', key: 'id' }, onDelete: 'CASCADE' },
      activity: str(40, false),
      status: str(16, false),
      due_at: date(false),
      context: { type: T.TEXT, allowNull: true },
      size: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
      origin_run_id: { type: T.BIGINT, allowNull: true },
      created_at: date(false),
      updated_at: date(false),
    },
    indexes: [{ fields: ['workflow_id', 'status', 'due_at'], name: 'workflow_tasks_due' }, { fields: ['status', 'updated_at'] }],
  },
  {
    name: 'workflow_task_members',
    columns: {
      task_id: { type: T.BIGINT, primaryKey: true, allowNull: false },
      recipient_id: { type: T.INTEGER, primaryKey: true, allowNull: false },
    },
  },
  {
    name: 'workflow_targets',
    columns: {
      workflow_id: { type: T.INTEGER, primaryKey: true, allowNull: false },
      activity: { ...str(40, false), primaryKey: true },
      recipient_id: { type: T.INTEGER, primaryKey: true, allowNull: false },
      created_at: date(false),
    },
  },
];

export async function up(qi: QueryInterface, transaction?: Transaction): Promise<void> {
  await qi.addColumn('workflow_runs', 'slot', { type: T.DATE, allowNull: true }, { transaction });
  for (const table of tables) {
    await qi.createTable(table.name, table.columns, { transaction });
    for (const index of table.indexes ?? []) {
      await qi.addIndex(table.name, index.fields, {
        unique: index.unique ?? false,
        name: index.name ?? `${table.name}_${index.fields.join('_')}`,
        transaction,
      });
    }
  }
}
