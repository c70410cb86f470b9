/**
 * Herald's glossary as code: the words the whole project uses, with the values stored in the
 * database. The README's glossary explains them; use these words, no synonyms.
 */

/** Preferred body format of a recipient (Adobe's iEmailFormat). */
export const EMAIL_FORMATS = ['html', 'text'] as const;
export type EmailFormat = (typeof EMAIL_FORMATS)[number];

/**
 * Delivery states (Adobe codes in comments). Transitions are defined by the delivery lifecycle
 * (server/delivery/lifecycle.ts), not here.
 */
export const DELIVERY_STATES = [
  'editing', // Being edited (0)
  'targeting_pending', // scheduled analysis
  'analysing', // analysis running
  'ready', // Target ready / Ready to deliver
  'scheduled', // Pending: confirmed, waiting for its contact date
  'start_pending', // Start pending (51)
  'in_progress', // In progress (55)
  'recovery_pending', // Recovery pending (61): retries waiting
  'recovery_in_progress', // Recovery in progress (62)
  'pause_requested', // Pause requested (71)
  'paused', // Paused (75)
  'stopped', // Stopped (85)
  'finished', // Finished (95)
  'failed', // Failed
  'deleted', // Deleted (100)
] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/*
 * Sets of delivery states, each defined here once. Which state follows which is the lifecycle's
 * business (server/delivery/lifecycle.ts); these only name groups that readers filter on.
 */

/** The MTA sends the delivery's messages (Adobe's Start pending 51 … Recovery in progress 62). */
export const SENDING_STATES: readonly DeliveryState[] = ['start_pending', 'in_progress', 'recovery_pending', 'recovery_in_progress'];
/** Started and not over: sending, asked to pause, or paused. */
export const STARTED_STATES: readonly DeliveryState[] = [...SENDING_STATES, 'pause_requested', 'paused'];
/** Active: confirmed and not over, i.e. waiting for its contact date or started (Adobe's 51–84 range plus Pending). */
export const ACTIVE_STATES: readonly DeliveryState[] = ['scheduled', ...STARTED_STATES];
/** Over after being confirmed: nothing more will be sent. */
export const ENDED_STATES: readonly DeliveryState[] = ['stopped', 'finished'];
/**
 * States a delivery is created in: by an operator, the API or the CLI (editing), by a marketing
 * workflow for the workflow server to analyse (targeting_pending), or opened by a transactional
 * event with its content already checked (start_pending).
 */
export const INITIAL_STATES: readonly DeliveryState[] = ['editing', 'targeting_pending', 'start_pending'];

/**
 * A lifecycle answer (server/delivery/lifecycle.ts): the next state, or a refusal with a reason an
 * operator can act on. The one writer of delivery states (server/db/repos/delivery-state.ts) takes it.
 */
export type Transition = { ok: true; state: DeliveryState } | { ok: false; reason: string };

/** Marketing mail carries unsubscribe links and headers; transactional mail is event-triggered. */
export const DELIVERY_KINDS = ['marketing', 'transactional', 'proof'] as const;
export type DeliveryKind = (typeof DELIVERY_KINDS)[number];

/**
 * The channel a delivery goes out on (Adobe's messageType): email through the MTA, SMS through the
 * SMS module (SMPP), push to the browsers recipients subscribed from (web push, through the push
 * module), direct mail and fax through a third-party provider (an extraction file per delivery,
 * the routing workflow). The channel decides which address of a recipient a message goes to (the
 * email address, the mobile number, the postal address, the fax number), and which quarantine and
 * denylist flags exclude it.
 */
export const CHANNELS = ['email', 'sms', 'push', 'direct_mail', 'fax'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Channels sent through a third-party provider: their messages are written to extraction files. */
export const ROUTED_CHANNELS = ['direct_mail', 'fax'] as const satisfies readonly Channel[];
export type RoutedChannel = (typeof ROUTED_CHANNELS)[number];
export const isRoutedChannel = (c: Channel): c is RoutedChannel => (ROUTED_CHANNELS as readonly Channel[]).includes(c);

/**
 * What an SMS delivery receipt (DLR) says of a message the SMSC accepted: delivered to the handset,
 * undeliverable (the number does not exist or refuses it), expired (the handset stayed unreachable
 * during the message's validity), or another final state the SMSC reports (deleted, rejected,
 * unknown). A provider's return file says the same of a routed letter or fax: delivered, returned
 * (not delivered, the address may be right), or bad address (the address is wrong: quarantined).
 */
export const RECEIPT_STATUSES = ['delivered', 'undeliverable', 'expired', 'rejected', 'deleted', 'unknown', 'returned', 'bad_address'] as const;
export type ReceiptStatus = (typeof RECEIPT_STATUSES)[number];

/** Broad log status: the state of one message (Adobe §2.2). */
export const BROAD_LOG_STATUSES = ['pending', 'sent', 'failed', 'ignored', 'cancelled'] as const;
export type BroadLogStatus = (typeof BROAD_LOG_STATUSES)[number];

/** Failure type: hard never retried and quarantines at once; soft retried and counted; ignored never quarantines. */
export const FAILURE_TYPES = ['hard', 'soft', 'ignored'] as const;
export type FailureType = (typeof FAILURE_TYPES)[number];

/** Failure reasons (Adobe's failureReason; the numeric code in comments). */
export const FAILURE_REASONS = [
  'not_defined', // 0
  'user_unknown', // 1
  'invalid_domain', // 2
  'unreachable', // 3
  'account_disabled', // 4
  'mailbox_full', // 5
  'not_connected', // 6
  'address_not_specified', // 7
  'denylisted', // 8
  'quarantined', // 9
  'duplicate', // 10
  'excluded_by_rule', // 11
  'bad_quality', // 14
  'target_limited', // 17
  'refused', // 20
  'error_ignored', // 25
  'inactive_user', // Adobe's "Inactive user" (account_disabled for inactivity)
  'invalid_address', // syntax error in the address (Herald)
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

/** Quarantine status of an address (not a profile): Adobe's NmsAddress. */
export const QUARANTINE_STATUSES = ['valid', 'with_errors', 'quarantine', 'denylisted'] as const;
export type QuarantineStatus = (typeof QUARANTINE_STATUSES)[number];

/** Qualification status of a normalized bounce text. */
export const BOUNCE_TEXT_STATUSES = ['to_qualify', 'keep', 'ignore'] as const;
export type BounceTextStatus = (typeof BOUNCE_TEXT_STATUSES)[number];

/** Tracking URL types (Adobe url/@type: 1 click, 2 open, 3 opt-out, 6 mirror page). */
export const TRACKING_URL_TYPES = ['click', 'open', 'opt_out', 'mirror'] as const;
export type TrackingUrlType = (typeof TRACKING_URL_TYPES)[number];

/** Subscription status: pending until a double opt-in is confirmed. */
export const SUBSCRIPTION_STATUSES = ['pending', 'active', 'unsubscribed'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/**
 * Status of a transactional event (Adobe's Message Center), derived from the broad log of its
 * message: pending, sent, delivery error (failed or ignored), not covered (no published template
 * for its type), expired (not sent before its delivery's validity ended).
 */
export const EVENT_STATUSES = ['pending', 'sent', 'delivery_error', 'not_covered', 'expired'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

/** Named rights of operators (Adobe's named rights, subset). `admin` implies every other right. */
export const NAMED_RIGHTS = ['admin', 'prepare_deliveries', 'start_deliveries', 'view_reports', 'import', 'export', 'workflow'] as const;
export type NamedRight = (typeof NAMED_RIGHTS)[number];

/** Console appearances an operator may choose; without a choice the console follows the browser's setting. */
export const CONSOLE_THEMES = ['light', 'dark'] as const;
export type ConsoleTheme = (typeof CONSOLE_THEMES)[number];

/**
 * Languages Herald speaks (ISO 639-1 codes): an operator's console, a recipient's public pages and
 * system mails. A language is offered once its catalogue is registered (server/web/i18n/translate.ts);
 * a stored language whose catalogue is not registered reads as English.
 */
export const LANGUAGES = ['en', 'es', 'fr', 'de'] as const;
export type Language = (typeof LANGUAGES)[number];

export function isLanguage(value: string): value is Language {
  return (LANGUAGES as readonly string[]).includes(value);
}

/** Workflow states (Adobe: Being edited → Started → Paused → Finished, plus Failed). */
export const WORKFLOW_STATES = ['editing', 'started', 'paused', 'finished', 'failed'] as const;
export type WorkflowState = (typeof WORKFLOW_STATES)[number];

export const WORKFLOW_RUN_STATUSES = ['running', 'succeeded', 'failed', 'skipped'] as const;
export type WorkflowRunStatus = (typeof WORKFLOW_RUN_STATUSES)[number];

/** Why a workflow run started: its schedule, a missed schedule caught up once, an operator, or a due Wait. */
export const WORKFLOW_RUN_TRIGGERS = ['schedule', 'catchup', 'manual', 'resume'] as const;
export type WorkflowRunTrigger = (typeof WORKFLOW_RUN_TRIGGERS)[number];

/**
 * A population waiting in a marketing workflow (after a Wait, or at its start) until its due time;
 * `preparing` while its members are written; `held` until an operator confirms (an A/B test's rest,
 * waiting for its winner to be confirmed).
 */
export const WORKFLOW_TASK_STATUSES = ['preparing', 'waiting', 'held', 'done', 'cancelled'] as const;
export type WorkflowTaskStatus = (typeof WORKFLOW_TASK_STATUSES)[number];

/** An A/B test decided by a workflow: waiting for an operator's confirmation, confirmed (sent at the next poll), its winner sent to the rest, or cancelled with its workflow. */
export const AB_TEST_STATUSES = ['awaiting_confirmation', 'confirmed', 'sent', 'cancelled'] as const;
export type AbTestStatus = (typeof AB_TEST_STATUSES)[number];

/** What a bulk action does to each recipient of its selection (delete = GDPR erase). */
export const BULK_ACTIONS = ['addToList', 'removeFromList', 'subscribe', 'unsubscribe', 'denylist', 'erase'] as const;
export type BulkActionKind = (typeof BULK_ACTIONS)[number];

/** A bulk action running in background batches, finished, failed (with its error) or interrupted by a stop (resumed at the next start). */
export const BULK_ACTION_STATUSES = ['running', 'finished', 'failed', 'interrupted'] as const;
export type BulkActionStatus = (typeof BULK_ACTION_STATUSES)[number];
