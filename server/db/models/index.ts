import type { Sequelize } from 'sequelize';
import { initBroadLogs } from './broad-log.js';
import { initConsole } from './console.js';
import { initDeliveries } from './delivery.js';
import { initInboundMessages } from './inbound-message.js';
import { initMigrationRecords } from './migration-record.js';
import { initMta } from './mta.js';
import { initOperators } from './operator.js';
import { initPublic } from './public.js';
import { initQuarantine } from './quarantine.js';
import { initRecipients } from './recipient.js';
import { initReportStats } from './report-stats.js';
import { initServices } from './service.js';
import { initSmtpStats } from './smtp-stat.js';
import { initTracking } from './tracking.js';
import { initWorkflows } from './workflow.js';

export { BroadLog, ExclusionLog } from './broad-log.js';
export { AuditEntry, ImportJob, LoginThrottle, WebSession } from './console.js';
export { Delivery, TrackingUrl } from './delivery.js';
export { InboundMessage } from './inbound-message.js';
export { MigrationRecord, MIGRATIONS_TABLE } from './migration-record.js';
export { MtaInstance, MtaThrottle } from './mta.js';
export { ApiKey, Operator } from './operator.js';
export { EventDelivery, EventType, RateLimit, Signup, TransactionalEvent, WebhookCursor, WebhookDelivery } from './public.js';
export { BounceText, Quarantine } from './quarantine.js';
export { List, ListMember, Recipient } from './recipient.js';
export { DeliveryFailureStat, SubscriptionDailyStat } from './report-stats.js';
export { Service, Subscription, SubscriptionHistory } from './service.js';
export { SmtpStat } from './smtp-stat.js';
export { DeliveryIndicator, TrackingCheckpoint, TrackingLog, TrackingStat } from './tracking.js';
export { Workflow, WorkflowRun, WorkflowTarget, WorkflowTask, WorkflowTaskMember } from './workflow.js';

/** Binds every model to one Sequelize instance (Sequelize models are process-wide classes). */
export function initModels(sequelize: Sequelize): void {
  initMigrationRecords(sequelize);
  initRecipients(sequelize);
  initServices(sequelize);
  initOperators(sequelize);
  initDeliveries(sequelize);
  initBroadLogs(sequelize);
  initTracking(sequelize);
  initQuarantine(sequelize);
  initWorkflows(sequelize);
  initInboundMessages(sequelize);
  initSmtpStats(sequelize);
  initConsole(sequelize);
  initMta(sequelize);
  initReportStats(sequelize);
  initPublic(sequelize);
}
