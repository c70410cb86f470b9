import type { FailureReason, FailureType } from '../shared/glossary.js';

/**
 * What an inbound message is: a delivery status notification (RFC 3464 or a human-readable
 * non-delivery report), a feedback-loop complaint (RFC 5965), an auto-reply (RFC 3834, vacation
 * texts), a message that says it failed but could not be read (`unknown`), or ordinary mail.
 */
export const BOUNCE_KINDS = ['dsn', 'arf', 'autoreply', 'unknown', 'not_bounce'] as const;
export type BounceKind = (typeof BOUNCE_KINDS)[number];

/** One recipient reported by a bounce, as read from the message. */
export interface BounceRecipient {
  /** The recipient the report is about, lower case ('' when the report does not say). */
  address: string;
  /** RFC 3464 Action: failed, delayed, delivered, relayed or expanded. */
  action?: string;
  /** RFC 3463 enhanced status code, e.g. 5.1.1. */
  status?: string;
  /** SMTP reply code, e.g. 550. */
  smtpCode?: number;
  /** The SMTP command the remote server answered (RCPT, DATA, MAIL, CONNECT…), when known. */
  command?: string;
  /** The diagnostic text (remote reply or report sentence), whitespace-collapsed. */
  text: string;
  remoteMta?: string;
  /** The provider whose server gave the reply (a family id of families.ts), when recognised. */
  provider?: string;
}

/** A feedback-loop report (RFC 5965 fields). */
export interface FeedbackReport {
  feedbackType: string;
  userAgent?: string;
  /** Original-Rcpt-To (or Removal-Recipient) addresses; usually absent (redacted, RFC 6590). */
  originalRcptTo?: string[];
  sourceIp?: string;
}

/** Everything inMail and the CLI need from one inbound message. Plain data (crosses worker threads). */
export interface ParsedBounce {
  kind: BounceKind;
  /** The family that wrote the report (a family id of families.ts), when recognised. */
  reporter?: string;
  /** What the report's writer is (families.ts roles): its family's role, or what the report says of itself. */
  role?: string;
  recipients: BounceRecipient[];
  feedback?: FeedbackReport;
  subject: string;
  from: string;
  /** The inbound message's own Message-ID. */
  messageId: string;
  /**
   * Identifiers found in the returned original message or its quoted headers (Message-IDs,
   * In-Reply-To/References, VERP return paths): candidates for matching, verified by the caller.
   */
  references: string[];
}

/** What classify() reads: the RFC 3463 status, the SMTP reply code and the diagnostic text. */
export interface ClassifyInput {
  status?: string;
  smtpCode?: number;
  text: string;
  /** Extra facts rules may test: the kind of message, the DSN action and the SMTP command. */
  kind?: BounceKind;
  action?: string;
  command?: string;
  /** The reporting family, its role, and the provider that gave the reply (families.ts ids). */
  reporter?: string;
  role?: string;
  provider?: string;
}

export interface Classification {
  type: FailureType;
  reason: FailureReason;
  /** Id of the rule that matched, or `default` when none did. */
  rule: string;
  /** False when no specific rule matched: the normalized text is stored "to qualify". */
  qualified: boolean;
  /** The address must be denylisted (spam complaint), not only counted in quarantine. */
  denylist?: boolean;
}
