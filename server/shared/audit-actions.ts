/**
 * The actions the audit log records, one word each. Any part of Herald that lets an operator change
 * something records one of these (with the target and a small detail object).
 */
export const AUDIT_ACTIONS = [
  'login',
  'login_failed',
  'logout',
  'password_changed',
  'operator_created',
  'operator_updated',
  'operator_password_reset',
  'recipient_updated',
  'recipient_subscribed',
  'recipient_unsubscribed',
  'list_member_added',
  'list_member_removed',
  'recipients_import_started',
  'recipients_imported',
  'recipients_exported',
  'service_created',
  'service_updated',
  'list_created',
  'list_updated',
  'delivery_created',
  'delivery_updated',
  'delivery_analysed',
  'delivery_started',
  'delivery_paused',
  'delivery_resumed',
  'delivery_stopped',
  'delivery_proof_sent',
  'bounce_text_qualified',
  'workflow_started',
  'workflow_paused',
  'workflow_stopped',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
