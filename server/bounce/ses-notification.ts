import type { BounceRecipient, FeedbackReport } from './types.js';
import { compactText, findReplyCode, findStatus } from './smtp-reply.js';

/**
 * Amazon SES event notifications (JSON sent by mail through SNS): bounces, complaints and
 * deliveries, for sites that relay through SES and point its notifications at Herald.
 */

type Json = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.filter((x): x is Json => typeof x === 'object' && x !== null) : []);

function parseJson(text: string): Json | undefined {
  const start = text.indexOf('{"notificationType"');
  if (start < 0) return undefined;
  const end = text.lastIndexOf('}');
  try {
    const value: unknown = JSON.parse(text.slice(start, end + 1).replace(/\r?\n\s?/g, ''));
    return typeof value === 'object' && value !== null ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

function recipient(address: string, action: string, diagnostic: string, status: string): BounceRecipient {
  const text = compactText(diagnostic);
  const r: BounceRecipient = { address: address.toLowerCase(), action, text };
  const code = findStatus(status) ?? findStatus(text);
  if (code) r.status = code;
  const reply = findReplyCode(text);
  if (reply) r.smtpCode = reply;
  return r;
}

export function sesNotification(text: string): { recipients: BounceRecipient[]; feedback?: FeedbackReport } | undefined {
  const json = parseJson(text);
  if (!json) return undefined;
  const type = str(json.notificationType);
  const bounce = (json.bounce ?? {}) as Json;
  const complaint = (json.complaint ?? {}) as Json;
  const delivery = (json.delivery ?? {}) as Json;
  if (type === 'Bounce') {
    return {
      recipients: list(bounce.bouncedRecipients).map((r) =>
        recipient(str(r.emailAddress), str(r.action) || 'failed', str(r.diagnosticCode) || str(bounce.bounceSubType), str(r.status)),
      ),
    };
  }
  if (type === 'Complaint') {
    const feedbackType = str(complaint.complaintFeedbackType) || 'abuse';
    return {
      recipients: list(complaint.complainedRecipients).map((r) => ({ address: str(r.emailAddress).toLowerCase(), text: `Feedback-Type: ${feedbackType}` })),
      feedback: { feedbackType },
    };
  }
  if (type === 'Delivery') {
    const addresses = Array.isArray(delivery.recipients) ? delivery.recipients.map(str) : [];
    return { recipients: addresses.map((a) => recipient(a, 'delivered', str(delivery.smtpResponse), '2.0.0')) };
  }
  return undefined;
}
