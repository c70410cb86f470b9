import { Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { WorkflowRunStatus, WorkflowState } from '../../shared/glossary.js';
import { bigPk, date, flag, intOrNull, json, pk, str, text, underscored } from './columns.js';

/** A technical or marketing workflow: schedule, state and, for marketing ones, its activities (JSON). */
export class Workflow extends Model<InferAttributes<Workflow>, InferCreationAttributes<Workflow>> {
  declare id: CreationOptional<number>;
  declare name: string;
  declare label: string;
  declare kind: 'technical' | 'marketing';
  declare state: CreationOptional<WorkflowState>;
  declare schedule: CreationOptional<string | null>;
  declare enabled: CreationOptional<boolean>;
  declare definition: CreationOptional<unknown>;
  /** A run holds the lease so that no two wfserver processes run the workflow at once. */
  declare leaseOwner: CreationOptional<string | null>;
  declare leaseExpiresAt: CreationOptional<Date | null>;
  declare lastRunAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

/** The journal of one workflow run. */
export class WorkflowRun extends Model<InferAttributes<WorkflowRun>, InferCreationAttributes<WorkflowRun>> {
  declare id: CreationOptional<number>;
  declare workflowId: number;
  declare trigger: 'schedule' | 'manual' | 'catchup';
  declare status: WorkflowRunStatus;
  declare startedAt: Date;
  declare endedAt: CreationOptional<Date | null>;
  declare durationMs: CreationOptional<number | null>;
  declare counts: CreationOptional<Record<string, number> | null>;
  declare error: CreationOptional<string | null>;
  declare owner: CreationOptional<string | null>;
}

export function initWorkflows(sequelize: Sequelize): void {
  Workflow.init(
    {
      id: pk(),
      name: str(100, false),
      label: str(255, false),
      kind: str(16, false),
      state: { ...str(16, false), defaultValue: 'editing' },
      schedule: str(100),
      enabled: flag(true),
      definition: json('definition'),
      leaseOwner: str(64),
      leaseExpiresAt: date(),
      lastRunAt: date(),
      createdAt: date(false),
      updatedAt: date(false),
    },
    { sequelize, tableName: 'workflows', ...underscored },
  );
  WorkflowRun.init(
    {
      id: bigPk(),
      workflowId: { ...intOrNull(), allowNull: false },
      trigger: str(16, false),
      status: str(16, false),
      startedAt: date(false),
      endedAt: date(),
      durationMs: intOrNull(),
      counts: json('counts'),
      error: text(),
      owner: str(64),
    },
    { sequelize, tableName: 'workflow_runs', ...underscored, timestamps: false },
  );
}
