import { Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { WorkflowRunStatus, WorkflowRunTrigger, WorkflowState, WorkflowTaskStatus } from '../../shared/glossary.js';
import { bigint, bigPk, date, flag, int, intOrNull, json, pk, str, text, underscored } from './columns.js';
import { bind } from './bind.js';

/** A technical or marketing workflow: schedule, state and, for marketing ones, its activities (JSON). */
export class Workflow extends Model<InferAttributes<Workflow>, InferCreationAttributes<Workflow>> {
  declare id: CreationOptional<number>;
  declare name: string;
  declare label: string;
  declare kind: 'technical' | 'marketing';
  declare state: CreationOptional<WorkflowState>;
  declare schedule: CreationOptional<string | null>;
  /** The IANA zone the schedule is read in, or null: the wfserver's configured zone. */
  declare timeZone: CreationOptional<string | null>;
  declare enabled: CreationOptional<boolean>;
  /** A marketing workflow's activities (JSON; see server/workflows/marketing/definition.ts). */
  declare definition: CreationOptional<object | null>;
  /** A run holds the lease so that no two wfserver processes run the workflow at once. */
  declare leaseOwner: CreationOptional<string | null>;
  declare leaseExpiresAt: CreationOptional<Date | null>;
  /** The schedule is satisfied up to here: the last slot claimed (or when the schedule began). */
  declare lastRunAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

/** The journal of one workflow run. */
export class WorkflowRun extends Model<InferAttributes<WorkflowRun>, InferCreationAttributes<WorkflowRun>> {
  declare id: CreationOptional<number>;
  declare workflowId: number;
  declare trigger: WorkflowRunTrigger;
  /** The schedule slot the run was for (schedule and catch-up runs). */
  declare slot: CreationOptional<Date | null>;
  declare status: WorkflowRunStatus;
  declare startedAt: Date;
  declare endedAt: CreationOptional<Date | null>;
  declare durationMs: CreationOptional<number | null>;
  declare counts: CreationOptional<Record<string, number> | null>;
  declare error: CreationOptional<string | null>;
  declare owner: CreationOptional<string | null>;
}

/** A population waiting at an activity of a marketing workflow until `dueAt` (after a Wait, or at the start). */
export class WorkflowTask extends Model<InferAttributes<WorkflowTask>, InferCreationAttributes<WorkflowTask>> {
  declare id: CreationOptional<number>;
  declare workflowId: number;
  /** Where the population resumes: a Wait (it goes on to the Wait's next activity) or the Start entry. */
  declare activity: string;
  declare status: WorkflowTaskStatus;
  declare dueAt: Date;
  /** What the wave carries along (e.g. the deliveries it created, by activity), JSON. */
  declare context: CreationOptional<Record<string, unknown> | null>;
  declare size: CreationOptional<number>;
  declare originRunId: CreationOptional<number | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

/** One recipient of a waiting population. */
export class WorkflowTaskMember extends Model<InferAttributes<WorkflowTaskMember>, InferCreationAttributes<WorkflowTaskMember>> {
  declare taskId: number;
  declare recipientId: number;
}

/** A recipient an incremental Query of a workflow has already targeted (it never targets them again). */
export class WorkflowTarget extends Model<InferAttributes<WorkflowTarget>, InferCreationAttributes<WorkflowTarget>> {
  declare workflowId: number;
  declare activity: string;
  declare recipientId: number;
  declare createdAt: CreationOptional<Date>;
}

export function workflowsModels(sequelize: Sequelize) {
  return {
    Workflow: bind(
      Workflow,
      {
        id: pk(),
        name: str(100, false),
        label: str(255, false),
        kind: str(16, false),
        state: { ...str(16, false), defaultValue: 'editing' },
        schedule: str(100),
        timeZone: str(64),
        enabled: flag(true),
        definition: json('definition'),
        leaseOwner: str(64),
        leaseExpiresAt: date(),
        lastRunAt: date(),
        createdAt: date(false),
        updatedAt: date(false),
      },
      { sequelize, tableName: 'workflows', ...underscored },
    ),
    WorkflowRun: bind(
      WorkflowRun,
      {
        id: bigPk(),
        workflowId: { ...intOrNull(), allowNull: false },
        trigger: str(16, false),
        slot: date(),
        status: str(16, false),
        startedAt: date(false),
        endedAt: date(),
        durationMs: intOrNull(),
        counts: json('counts'),
        error: text(),
        owner: str(64),
      },
      { sequelize, tableName: 'workflow_runs', ...underscored, timestamps: false },
    ),
    WorkflowTask: bind(
      WorkflowTask,
      {
        id: bigPk(),
        workflowId: { ...intOrNull(), allowNull: false },
        activity: str(40, false),
        status: str(16, false),
        dueAt: date(false),
        context: json('context'),
        size: int(),
        originRunId: bigint('originRunId', { allowNull: true }),
        createdAt: date(false),
        updatedAt: date(false),
      },
      { sequelize, tableName: 'workflow_tasks', ...underscored },
    ),
    WorkflowTaskMember: bind(
      WorkflowTaskMember,
      {
        taskId: bigint('taskId', { primaryKey: true, allowNull: false }),
        recipientId: { ...intOrNull(), primaryKey: true, allowNull: false },
      },
      { sequelize, tableName: 'workflow_task_members', ...underscored, timestamps: false },
    ),
    WorkflowTarget: bind(
      WorkflowTarget,
      {
        workflowId: { ...intOrNull(), primaryKey: true, allowNull: false },
        activity: { ...str(40, false), primaryKey: true },
        recipientId: { ...intOrNull(), primaryKey: true, allowNull: false },
        createdAt: date(false),
      },
      { sequelize, tableName: 'workflow_targets', ...underscored, updatedAt: false },
    ),
  };
}
