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
  'recipient_created',
  'recipient_updated',
  'recipient_erased',
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
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
