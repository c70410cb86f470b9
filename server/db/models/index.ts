import type { Sequelize } from 'sequelize';
import { abTestsModels } from './ab-test.js';
import { audiencesModels } from './audience.js';
import { bounceRulesModels } from './bounce-rule.js';
import { broadLogsModels } from './broad-log.js';
import { consoleModels } from './console.js';
import { contentModels } from './content.js';
import { deliveriesModels } from './delivery.js';
import { inboundMessagesModels } from './inbound-message.js';
import { inmailMailboxesModels } from './inmail-mailbox.js';
import { migrationRecordsModels } from './migration-record.js';
import { mtaModels } from './mta.js';
import { operatorsModels } from './operator.js';
import { publicModels } from './public.js';
import { pushModels } from './push.js';
import { quarantineModels } from './quarantine.js';
import { recipientsModels } from './recipient.js';
import { reportStatsModels } from './report-stats.js';
import { routingModels } from './routing.js';
import { servicesModels } from './service.js';
import { smsModels } from './sms.js';
import { smtpStatsModels } from './smtp-stat.js';
import { trackingModels } from './tracking.js';
import { workflowsModels } from './workflow.js';

export { AbTest } from './ab-test.js';
export { BounceRule } from './bounce-rule.js';
export { BulkAction, CustomField, Segment } from './audience.js';
export { BroadLog, ExclusionLog } from './broad-log.js';
export { AuditEntry, ImportJob, LoginThrottle, WebSession } from './console.js';
export { ContentBlockRow, ContentTemplateRow, LandingPageRow } from './content.js';
export { Delivery, TrackingUrl } from './delivery.js';
export { InboundMessage } from './inbound-message.js';
export { InmailMailbox, InmailMailboxMessage } from './inmail-mailbox.js';
export { MigrationRecord, MIGRATIONS_TABLE } from './migration-record.js';
export { MtaInstance, MtaThrottle } from './mta.js';
export { ApiKey, Operator } from './operator.js';
export { PushSubscription, type PushSubscriptionStatus } from './push.js';
export { EventDelivery, EventType, RateLimit, Signup, TransactionalEvent, WebhookCursor, WebhookDelivery } from './public.js';
export { BounceText, Quarantine } from './quarantine.js';
export { RoutingExtraction, RoutingReturn, type ExtractionStatus } from './routing.js';
export { List, ListMember, Recipient } from './recipient.js';
export { DeliveryFailureStat, SubscriptionSlotStat } from './report-stats.js';
export { Service, Subscription, SubscriptionHistory } from './service.js';
export { SmsInbound, SmsSubmit, type SmsInboundAction } from './sms.js';
export { SmtpStat } from './smtp-stat.js';
export { DeliveryIndicator, TrackingCheckpoint, TrackingLog, TrackingStat } from './tracking.js';
export { Workflow, WorkflowRun, WorkflowTarget, WorkflowTask, WorkflowTaskMember, WorkflowVersion } from './workflow.js';

/** The model classes bound to one database (one Sequelize instance): reached as `db.models.X`. */
export type Models = ReturnType<typeof defineModels>;

/** Binds a copy of every model class to one Sequelize instance. */
export function defineModels(sequelize: Sequelize) {
  return {
    ...migrationRecordsModels(sequelize),
    ...recipientsModels(sequelize),
    ...servicesModels(sequelize),
    ...operatorsModels(sequelize),
    ...deliveriesModels(sequelize),
    ...broadLogsModels(sequelize),
    ...trackingModels(sequelize),
    ...quarantineModels(sequelize),
    ...workflowsModels(sequelize),
    ...abTestsModels(sequelize),
    ...audiencesModels(sequelize),
    ...inboundMessagesModels(sequelize),
    ...inmailMailboxesModels(sequelize),
    ...bounceRulesModels(sequelize),
    ...smtpStatsModels(sequelize),
    ...consoleModels(sequelize),
    ...mtaModels(sequelize),
    ...reportStatsModels(sequelize),
    ...publicModels(sequelize),
    ...contentModels(sequelize),
    ...smsModels(sequelize),
    ...pushModels(sequelize),
    ...routingModels(sequelize),
  };
}
