import { tables } from '../../server/db/migrations/001-initial.js';
import { tables as trackingTables } from '../../server/db/migrations/004-tracking-ingest.js';
import { tables as workflowTaskTables } from '../../server/db/migrations/005-workflow-tasks.js';
import { tables as consoleTables } from '../../server/db/migrations/006-console.js';
import { tables as mtaTables } from '../../server/db/migrations/007-mta.js';
import { tables as reportTables } from '../../server/db/migrations/008-reports.js';
import { tables as publicTables } from '../../server/db/migrations/009-public.js';
import { tables as abTestTables } from '../../server/db/migrations/030-ab-tests.js';
import { tables as audienceTables } from '../../server/db/migrations/031-audiences.js';
import { tables as workflowVersionTables } from '../../server/db/migrations/032-workflow-versions.js';
import { tables as mailboxTables } from '../../server/db/migrations/060-inmail-mailboxes.js';
import { tables as bounceRuleTables } from '../../server/db/migrations/061-bounce-rules.js';
import { MIGRATIONS_TABLE } from '../../server/db/models/index.js';

/** Every table the migrations create, in creation order (drop in reverse). */
export const MIGRATION_TABLES: readonly string[] = [
  MIGRATIONS_TABLE,
  ...tables.map((t) => t.name),
  ...trackingTables.map((t) => t.name),
  ...workflowTaskTables.map((t) => t.name),
  ...consoleTables.map((t) => t.name),
  ...mtaTables,
  // migration 096 replaced the daily subscription aggregate by the quarter-hour one
  ...reportTables.map((t) => t.name).filter((name) => name !== 'subscription_daily_stats'),
  ...publicTables.map((t) => t.name),
  ...abTestTables,
  ...audienceTables,
  ...workflowVersionTables,
  'sms_submits',
  'sms_inbound',
  'push_subscriptions',
  'routing_extractions',
  'routing_returns',
  ...mailboxTables,
  ...bounceRuleTables,
  'subscription_slot_stats',
];
