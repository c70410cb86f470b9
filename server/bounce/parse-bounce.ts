import { simpleParser, type ParsedMail } from 'mailparser';
import { isAutoReply, isUnsubscribeRequest, type HeaderLookup } from './auto-reply.js';
import { addressOf, hasDeliveryStatusFields, parseDeliveryStatus } from './delivery-status.js';
import { providerFamily, reporterFamily, reporterRole, type KnownFamilies } from './detect-family.js';
import type { Family, FamilyRole } from './families.js';
import { readAsFamily } from './family-readers.js';
import { feedbackText, parseFeedbackReport } from './feedback-report.js';
import { findReferences, headerBlock, type HeaderBlock } from './returned-message.js';
import { sesNotification } from './ses-notification.js';
import { compactText } from './smtp-reply.js';
import { addressesIn, splitAtOriginal, textBounceRecipients } from './text-bounce.js';
import type { BounceRecipient, ParsedBounce } from './types.js';

/**
 * Reads one inbound message into a ParsedBounce: what kind of message it is, which recipients it
 * reports with their status and diagnostic text, and the identifiers of the returned original.
 * No I/O; the caller bounds size and time (inMail runs it in a worker with a time budget).
 */

const PARSER_OPTIONS = {
  keepDeliveryStatus: true,
  ignoreEmbedded: true,
  skipTextToHtml: true,
  skipImageLinks: true,
  skipTextLinks: true,
  checksumAlgo: false,
  maxHtmlLengthToParse: 1_000_000,
  maxHeadSize: 256 * 1024,
  maxChildNodes: 200,
} as const;

interface Message {
  mail: ParsedMail;
  header: HeaderLookup;
  subject: string;
  from: string;
  /** The report text: the first text part(s), or the raw body when the MIME structure is broken. */
  text: string;
  parts: Array<{ type: string; content: string }>;
  original: HeaderBlock;
  /** The family that wrote the report, when recognised. */
  reporter: Family | undefined;
  /** What the report's writer is (its family's role, or what the report says of itself). */
  role: FamilyRole | undefined;
  known: KnownFamilies;
}

/** How to read a message: which families may be recognised (all by default). */
export interface ParseOptions {
  known?: KnownFamilies;
  /** Nesting level of a report forwarded inside another (internal). */
  depth?: number;
}

const FAILURE_SUBJECT =
  /undeliver|undelivered|non[- ]?delivery|delivery (status|failure|failed|problem|notification)|returned mail|failure notice|mail delivery failed|delivery failed|could not be delivered|not delivered|mail system error|error sending|failed delivery|returned to sender|delayed mail|warning: message|loop alert|not member/i;
const DAEMON = /^(mailer-daemon|postmaster|post_master|mail-daemon|mailer|mdaemon|bounce[s]?|nobody)@/i;

function headerValue(mail: ParsedMail, name: string): string | undefined {
  const line = mail.headerLines.find((h) => h.key === name);
  return line
    ? line.line
        .slice(line.line.indexOf(':') + 1)
        .replace(/\r?\n[ \t]+/g, ' ')
        .trim()
    : undefined;
}

const MAX_PART = 1024 * 1024;

function partText(content: unknown): string {
  return Buffer.isBuffer(content) ? content.toString('utf8', 0, Math.min(content.length, MAX_PART)) : String(content ?? '').slice(0, MAX_PART);
}

/**
 * MIME lines of a body whose structure is broken: part boundaries, part headers, and a header's
 * parameter continued on a line of its own without indentation (`boundary="…"` under
 * `Content-Type: multipart/alternative;`), which would otherwise open the report text.
 */
const MIME_LINE = /^--\S+$|^Content-(Type|Transfer-Encoding|Disposition|Description|ID):|^\s*(boundary|charset|report-type|name|filename)="?[^\s";]*"?;?\s*$/i;

function rawBody(raw: Buffer): string {
  const text = raw.subarray(0, 512 * 1024).toString('latin1');
  const at = text.search(/\r?\n\r?\n/);
  return (at < 0 ? '' : text.slice(at))
    .split(/\r?\n/)
    .filter((l) => !MIME_LINE.test(l))
    .join('\n');
}

function statusPartOf(parts: Message['parts']): Message['parts'][number] | undefined {
  return parts.find((p) => p.type === 'message/delivery-status' || p.type === 'message/global-delivery-status');
}

async function readMessage(raw: Buffer, known: KnownFamilies): Promise<Message> {
  const mail = await simpleParser(raw, PARSER_OPTIONS);
  // Only reports, returned messages and text matter; images and other attachments are never decoded.
  const parts = mail.attachments
    .filter((a) => /^(message|text)\//i.test(a.contentType))
    .map((a) => ({ type: a.contentType.toLowerCase(), content: partText(a.content) }));
  const onlyReturned = mail.attachments.every((a) => /^(message\/|text\/rfc822)/i.test(a.contentType));
  const text = mail.text?.trim() ? mail.text : onlyReturned ? rawBody(raw) : '';
  const originalPart = parts.find((p) => p.type === 'message/rfc822' || p.type === 'text/rfc822-headers');
  const original = headerBlock(originalPart?.content ?? splitAtOriginal(text).rest);
  const subject = compactText(mail.subject ?? '', 255);
  const from = mail.from?.value[0]?.address?.toLowerCase() ?? '';
  const headers = mail.headerLines.map((h) => h.line.replace(/\r?\n[ \t]+/g, ' ')).join('\n');
  const view = { from, subject, headers, text: `${text.slice(0, 16 * 1024)}\n${statusPartOf(parts)?.content.slice(0, 4096) ?? ''}` };
  const reporter = reporterFamily(view, known);
  return {
    mail,
    header: (name) => headerValue(mail, name),
    subject,
    from,
    text,
    parts,
    original,
    reporter,
    role: reporterRole(view, reporter),
    known,
  };
}

/** Addresses on the sender side, never a failed recipient. */
function senderAddresses(msg: Message): Set<string> {
  const out = new Set<string>();
  const add = (v?: string) => v && addressesIn(v).forEach((a) => out.add(a));
  add(msg.header('from'));
  add(msg.header('to'));
  add(msg.original.get('from'));
  add(msg.original.get('return-path'));
  add(msg.original.get('sender'));
  return out;
}

/**
 * DSN recipients completed from the human-readable part, which often says more: the text when the
 * DSN has no Diagnostic-Code, the SMTP command ("in reply to end of DATA command"), a recipient
 * when Final-Recipient is not an address.
 */
function withText(recipients: BounceRecipient[], msg: Message): BounceRecipient[] {
  const fromText = textBounceRecipients(msg.text, senderAddresses(msg));
  const failed = addressesIn(msg.header('x-failed-recipients') ?? '');
  return recipients.map((r, i) => {
    const address = r.address || failed[i] || (recipients.length === 1 && fromText.length === 1 ? fromText[0]!.address : '');
    const found = fromText.find((t) => t.address === address) ?? (recipients.length === 1 ? fromText[0] : undefined);
    if (!found) return { ...r, address };
    const completed: BounceRecipient = { ...r, address };
    if (!r.text) Object.assign(completed, { ...found, ...r, address, text: found.text });
    if ((!r.status || r.status.endsWith('.0.0')) && found.status) completed.status = found.status;
    if (!completed.command && found.command) completed.command = found.command;
    return completed;
  });
}

/** Signs that a message reports a failure; an auto-reply shows none of them. */
function reportsFailure(msg: Message): boolean {
  return DAEMON.test(msg.from) || FAILURE_SUBJECT.test(msg.subject) || msg.header('x-failed-recipients') !== undefined;
}

function looksLikeFailure(msg: Message): boolean {
  const returnPath = msg.header('return-path');
  return reportsFailure(msg) || (returnPath !== undefined && /^<?\s*>?$/.test(returnPath)) || /^\s*auto-generated/i.test(msg.header('auto-submitted') ?? '');
}

/** Each recipient with the provider that gave its reply. */
function withProviders(recipients: BounceRecipient[], known: KnownFamilies): BounceRecipient[] {
  return recipients.map((r) => {
    const provider = providerFamily(r, known);
    return provider ? { ...r, provider: provider.id } : r;
  });
}

function result(msg: Message, kind: ParsedBounce['kind'], recipients: BounceRecipient[], raw: Buffer): ParsedBounce {
  return {
    kind,
    ...(msg.reporter ? { reporter: msg.reporter.id } : {}),
    ...(msg.role ? { role: msg.role } : {}),
    recipients: kind === 'dsn' ? withProviders(readAsFamily(msg.reporter?.id, recipients, msg.text), msg.known) : recipients,
    subject: msg.subject,
    from: msg.from,
    messageId: compactText(msg.mail.messageId ?? '', 255),
    references: findReferences(msg.mail, msg.parts, msg.original, raw),
  };
}

function complaint(msg: Message, raw: Buffer, reportText: string): ParsedBounce {
  const feedback = parseFeedbackReport(reportText);
  const addresses = feedback.originalRcptTo ?? [addressOf(msg.original.get('to'))];
  return {
    ...result(
      msg,
      'arf',
      addresses.map((address) => ({ address, text: feedbackText(feedback) })),
      raw,
    ),
    feedback,
  };
}

function fromTextBounce(msg: Message, raw: Buffer): ParsedBounce {
  const failed = msg.header('x-failed-recipients');
  const exclude = senderAddresses(msg);
  let recipients = textBounceRecipients(msg.text, exclude, addressOf(msg.original.get('to')) || undefined);
  if (failed) {
    const listed = addressesIn(failed);
    recipients = listed.map((address) => recipients.find((r) => r.address === address) ?? { ...(recipients[0] ?? { text: '' }), address });
  }
  return result(msg, recipients.length > 0 ? 'dsn' : 'unknown', recipients, raw);
}

/** A report forwarded as an attachment (a relay or a security gateway wrapping the real bounce). */
async function nestedReport(msg: Message, depth: number): Promise<ParsedBounce | undefined> {
  if (depth >= 2) return undefined;
  const part = msg.parts.find((p) => p.type === 'message/rfc822' && /^content-type:\s*multipart\/report/im.test(p.content.slice(0, 64 * 1024)));
  if (!part) return undefined;
  const inner = await parseBounce(Buffer.from(part.content, 'utf8'), { known: msg.known, depth: depth + 1 });
  return inner.kind === 'dsn' || inner.kind === 'arf' ? inner : undefined;
}

/** Parses one raw message (RFC 5322 bytes). */
export async function parseBounce(raw: Buffer, options: ParseOptions = {}): Promise<ParsedBounce> {
  const depth = options.depth ?? 0;
  const msg = await readMessage(raw, options.known);
  const feedbackPart = msg.parts.find((p) => p.type === 'message/feedback-report');
  if (feedbackPart) return complaint(msg, raw, feedbackPart.content);
  const statusPart = statusPartOf(msg.parts);
  if (statusPart) {
    const recipients = parseDeliveryStatus(statusPart.content);
    if (recipients.length > 0) return result(msg, 'dsn', withText(recipients, msg), raw);
  }
  if (isUnsubscribeRequest(msg.header, msg.subject)) {
    return { ...result(msg, 'arf', [{ address: msg.from, text: 'Feedback-Type: opt-out' }], raw), feedback: { feedbackType: 'opt-out' } };
  }
  if (!reportsFailure(msg) && isAutoReply(msg.header, msg.subject))
    return result(msg, 'autoreply', [{ address: msg.from, text: compactText(`${msg.subject} ${msg.text}`, 500) }], raw);
  const ses = sesNotification(msg.text);
  if (ses) return ses.feedback ? { ...result(msg, 'arf', ses.recipients, raw), feedback: ses.feedback } : result(msg, 'dsn', ses.recipients, raw);
  if (hasDeliveryStatusFields(msg.text)) {
    const recipients = parseDeliveryStatus(msg.text);
    if (recipients.length > 0) return result(msg, 'dsn', withText(recipients, msg), raw);
  }
  if (statusPart || looksLikeFailure(msg)) return (await nestedReport(msg, depth)) ?? fromTextBounce(msg, raw);
  return result(msg, 'not_bounce', [], raw);
}
