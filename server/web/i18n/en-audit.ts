import type { AUDIT_ACTIONS } from '../../shared/audit-actions.js';

/**
 * The audit log as sentences: `{operator}` and `{target}` become links to the operator and the
 * object concerned, other placeholders are fields of the entry's detail (`{service}`, `{list}`,
 * `{proof}`…). See server/web/console/audit-sentence.ts.
 */
const SENTENCES: Record<(typeof AUDIT_ACTIONS)[number] | 'delivery_created_from', string> = {
  login: '{operator} logged in',
  login_failed: 'A login as {target} failed (wrong password)',
  logout: '{operator} logged out',
  password_changed: '{operator} changed their own password',
  operator_created: '{operator} created the operator {target} with the rights {rights}',
  operator_updated: '{operator} changed the operator {target} (rights {rights})',
  operator_password_reset: '{operator} reset the password of {target}',
  recipient_created: '{operator} created the recipient {target}',
  recipient_updated: '{operator} changed the recipient {target}',
  recipient_erased: '{operator} erased the recipient {target} (GDPR)',
  recipient_subscribed: '{operator} subscribed {target} to the service {service}',
  recipient_unsubscribed: '{operator} unsubscribed {target} from the service {service}',
  list_member_added: '{operator} added {target} to the list {list}',
  list_member_removed: '{operator} removed {target} from the list {list}',
  recipients_import_started: '{operator} started importing {target}',
  recipients_imported: 'The import of {target} started by {operator} finished',
  recipients_exported: '{operator} exported the recipients',
  service_created: '{operator} created the service {target}',
  service_updated: '{operator} changed the service {target}',
  list_created: '{operator} created the list {target}',
  list_updated: '{operator} changed the list {target}',
  delivery_created: '{operator} created the delivery {target}',
  delivery_created_from: '{operator} created the delivery {target} from the template {template}',
  delivery_updated: '{operator} changed the delivery {target}',
  delivery_analysed: '{operator} analysed the delivery {target}',
  delivery_started: '{operator} started the delivery {target}',
  delivery_paused: '{operator} paused the delivery {target}',
  delivery_resumed: '{operator} resumed the delivery {target}',
  delivery_stopped: '{operator} stopped the delivery {target}',
  delivery_proof_sent: '{operator} sent a proof of {target}: {proof}',
  domain_unblocked: '{operator} lifted the block of the domain {target} ({rescheduled} messages due again)',
  bounce_text_qualified: '{operator} qualified the bounce text “{target}”',
  inbound_reviewed: '{operator} marked the inbound message {target} reviewed',
  workflow_started: '{operator} started the workflow {target}',
  workflow_paused: '{operator} paused the workflow {target}',
  workflow_stopped: '{operator} stopped the workflow {target}',
  ab_test_created: '{operator} set up an A/B test of the delivery {delivery} as the workflow {target}',
  segment_created: '{operator} created the segment {target}',
  segment_updated: '{operator} changed the segment {target}',
  recipients_bulk_started: '{operator} started the bulk action {target} ({action}) on {total} recipients',
  recipients_bulk_finished: 'The bulk action {target} ({action}) started by {operator} went through {done} recipients, {affected} changed',
  recipients_bulk_failed: 'The bulk action {target} ({action}) started by {operator} stopped after {done} recipients: {error}',
  ab_test_confirmed: '{operator} confirmed variant {winner} as the winner of the A/B test of {target}',
};

export const AUDIT_MESSAGES: Record<string, string> = {
  'audit.system': 'Herald',
  'audit.details': 'Details',
  'audit.from_ip': 'from {ip}',
  ...Object.fromEntries(Object.entries(SENTENCES).map(([action, text]) => [`audit.sentence.${action}`, text])),
};
