import type { HeraldConfig } from '../../shared/config/schema.js';
import type { TechnicalJob } from './context.js';
import { runCleanup } from './cleanup.js';
import { runDeliveryIndicators } from './delivery-indicators.js';
import { runDeliveryScheduler } from './delivery-scheduler.js';
import { runMtaStats } from './mta-stats.js';
import { runQuarantineRelease } from './quarantine-release.js';
import { runReportStats } from './report-stats.js';
import { runRoutingWorkflow } from './routing.js';
import { runSubscriptionExpiry } from './subscription-expiry.js';
import { runTracking } from './tracking.js';

/** The technical workflows Herald knows; each has a schedule and a switch in [wfserver.workflows.<name>]. */
export type TechnicalWorkflowName = keyof HeraldConfig['wfserver']['workflows'];

export interface TechnicalWorkflow {
  label: string;
  run: TechnicalJob;
}

/**
 * The job of each technical workflow: adding one is one line here (plus its config table). A
 * configured workflow without a job here is not run (the engine logs WF_NO_JOB at start).
 */
export const TECHNICAL_WORKFLOWS: Partial<Record<TechnicalWorkflowName, TechnicalWorkflow>> = {
  tracking: { label: 'Tracking (hit ingestion and indicators)', run: runTracking },
  deliveryScheduler: { label: 'Delivery scheduling and expiry', run: runDeliveryScheduler },
  deliveryIndicators: { label: 'Delivery indicators', run: runDeliveryIndicators },
  quarantineRelease: { label: 'Quarantine release', run: runQuarantineRelease },
  subscriptionExpiry: { label: 'Subscription expiry', run: runSubscriptionExpiry },
  mtaStats: { label: 'SMTP statistics per domain', run: runMtaStats },
  reportStats: { label: 'Report aggregates (failures by domain, subscriptions per day)', run: runReportStats },
  cleanup: { label: 'Database cleanup', run: runCleanup },
  routing: { label: 'Third-party routing (direct mail and fax extraction files, SFTP, return files)', run: runRoutingWorkflow },
};
