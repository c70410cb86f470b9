import { addressProblem, normalizeAddress } from '../shared/email-address.js';
import type { Channel, DeliveryKind } from '../shared/glossary.js';
import type { ContentFacts } from './checks/content-facts.js';
import type { ContentPlan } from './template/content.js';
import type { Issue } from './template/plan.js';

/**
 * Control rules run by the analysis (Adobe's typology control rules), as data: each rule has an id,
 * a level and a check over the facts of the delivery. An `error` blocks the start; a `warning` is
 * shown. The template checks (syntax, contexts, links, fields) come with the content plan.
 */

export interface RuleFacts {
  kind: DeliveryKind;
  /** The delivery's channel (email when not given): a rule runs only for the channels it names. */
  channel?: Channel;
  /** The channels a [[routing.providers]] entry serves (direct mail, fax). */
  routedChannels?: readonly Channel[];
  marketing: boolean;
  subject: string;
  /** The text part as written (the SMS rules read it). */
  text?: string | null;
  fromName: string | null;
  fromAddress: string | null;
  replyTo: string | null;
  plan: ContentPlan;
  /** What the pre-send checks read off the HTML (checkContent always gives them). */
  content?: ContentFacts;
  /** DKIM keys found for the From domain. */
  dkimKeys: number;
  /** Custom fields the content or the target reads that no recipient has. */
  missingCustomFields: string[];
  validityEnd: Date | null;
  scheduledAt: Date | null;
  /** Seed addresses of a proof. */
  proofRecipients: number;
  maxProofRecipients: number;
  now: Date;
}

interface Rule {
  id: string;
  level: Issue['level'];
  /** The channels the rule applies to (every channel when not given). */
  channels?: readonly Channel[];
  check(f: RuleFacts): string | undefined;
}

const EMAIL: readonly Channel[] = ['email'];
const SMS: readonly Channel[] = ['sms'];
const PUSH: readonly Channel[] = ['push'];
/** Channels whose message Herald writes itself (direct mail and fax are the provider's document, filled from the extraction file). */
const WRITTEN: readonly Channel[] = ['email', 'sms', 'push'];
const ROUTED: readonly Channel[] = ['direct_mail', 'fax'];

/** Words an SMS recipient can answer to stop (the SMS module's default list); a marketing SMS should name one. */
const STOP_MENTION = /\b(STOP|ARRET|ARRÊT|BAJA|UNSUBSCRIBE)\b/i;

/** The part parsed (a part with a syntax error is reported by the plan as content.syntax, and by nothing else). */
const has = (f: RuleFacts, kind: 'html' | 'text') => f.plan.parts.some((p) => p.kind === kind);

export const CONTROL_RULES: readonly Rule[] = [
  {
    id: 'content.empty',
    channels: WRITTEN,
    level: 'error',
    check: (f) => (f.plan.written.html || f.plan.written.text ? undefined : 'the message has neither an HTML nor a text part'),
  },
  { id: 'subject.empty', channels: EMAIL, level: 'error', check: (f) => (f.subject.trim() ? undefined : 'the subject is empty') },
  {
    id: 'subject.characters',
    channels: EMAIL,
    level: 'error',
    check: (f) => (/[\u0000-\u001F\u007F]/.test(f.subject) ? 'the subject holds line breaks or control characters' : undefined),
  },
  {
    id: 'subject.length',
    channels: EMAIL,
    level: 'warning',
    check: (f) =>
      f.subject.length > SUBJECT_SHOWN
        ? `the subject is ${f.subject.length} characters long: desktop clients show about ${SUBJECT_SHOWN}, phones about 35; put what matters first`
        : undefined,
  },
  { id: 'from.address', channels: EMAIL, level: 'error', check: (f) => (!f.fromAddress ? 'no sender (From) address' : fromProblem(f.fromAddress)) },
  {
    id: 'from.name',
    channels: EMAIL,
    level: 'warning',
    check: (f) => (/[<>@"\u0000-\u001F]/.test(f.fromName ?? '') ? 'the sender name holds special characters (< > @ " or controls)' : undefined),
  },
  { id: 'replyTo.address', channels: EMAIL, level: 'error', check: (f) => (f.replyTo ? fromProblem(f.replyTo, 'Reply-To') : undefined) },
  {
    id: 'from.dkim',
    channels: EMAIL,
    level: 'warning',
    check: (f) =>
      f.dkimKeys === 0 && f.kind !== 'proof'
        ? 'no DKIM key is configured for the sender domain ([[delivery.dkim]]): mailbox providers require DKIM for bulk mail'
        : undefined,
  },
  {
    id: 'unsubscribe.html',
    channels: EMAIL,
    level: 'error',
    check: (f) =>
      f.marketing && has(f, 'html') && !f.plan.unsubscribe.html
        ? 'marketing mail needs an unsubscribe link in the HTML part: <a href="<%= links.unsubscribe %>">Unsubscribe</a>'
        : undefined,
  },
  {
    id: 'unsubscribe.text',
    channels: EMAIL,
    level: 'error',
    check: (f) =>
      f.marketing && has(f, 'text') && !f.plan.unsubscribe.text
        ? 'marketing mail needs the unsubscribe link in the text part: <%= links.unsubscribe %>'
        : undefined,
  },
  {
    id: 'text.missing',
    channels: EMAIL,
    level: 'warning',
    check: (f) => (has(f, 'html') && !f.plan.written.text ? 'no text part: recipients who prefer text get the HTML part' : undefined),
  },
  {
    id: 'fields.custom',
    level: 'warning',
    check: (f) => (f.missingCustomFields.length ? `no recipient has the custom field(s) ${f.missingCustomFields.join(', ')}: they render empty` : undefined),
  },
  {
    id: 'images.alt',
    channels: EMAIL,
    level: 'warning',
    check: ({ content: c }) =>
      c?.imagesWithoutAlt.length
        ? `${c.imagesWithoutAlt.length} image(s) without alt text (${c.imagesWithoutAlt.slice(0, 3).join(', ')}): clients that block images show nothing in their place and screen readers read the file name`
        : undefined,
  },
  {
    id: 'size.gmail',
    channels: EMAIL,
    level: 'warning',
    check: ({ content: c }) =>
      c && htmlKb(c) > GMAIL_CLIP_KB
        ? `the HTML part is about ${htmlKb(c)} KB with its tracked links: Gmail clips messages over ${GMAIL_CLIP_KB} KB and hides the rest, the unsubscribe link included, behind "View entire message"`
        : undefined,
  },
  {
    id: 'size.total',
    channels: EMAIL,
    level: 'info',
    check: ({ content: c }) => (c ? `the message is about ${htmlKb(c) + kb(c.textBytes)} KB (HTML ${htmlKb(c)} KB, text ${kb(c.textBytes)} KB)` : undefined),
  },
  {
    id: 'balance.images',
    channels: EMAIL,
    level: 'warning',
    check: ({ content: c }) =>
      c && c.images > 0 && c.visibleTextChars < MIN_TEXT_WITH_IMAGES
        ? `the HTML is mostly images (${c.images} image(s), ${c.visibleTextChars} characters of text): spam filters distrust it and readers who block images see almost nothing`
        : undefined,
  },
  {
    id: 'balance.text',
    channels: EMAIL,
    level: 'warning',
    check: ({ content: c, plan }) =>
      c && plan.written.text && plan.written.html && c.textPartChars < c.visibleTextChars * 0.3
        ? `the text part (${c.textPartChars} characters) says much less than the HTML (${c.visibleTextChars} characters): leave it empty to generate it from the HTML`
        : undefined,
  },
  {
    id: 'preheader.missing',
    channels: EMAIL,
    level: 'warning',
    check: (f) =>
      f.content && f.marketing && has(f, 'html') && !f.content.preheader
        ? 'no preheader: inbox lists show the first words of the body next to the subject; add <mj-preview> (MJML) or a hidden first line'
        : undefined,
  },
  {
    id: 'footer.address',
    channels: EMAIL,
    level: 'warning',
    check: (f) =>
      f.content && f.marketing && f.content.exampleAddress
        ? 'the footer still shows the example postal address (1 Example Street): edit the "footer" content block, marketing mail must show your postal address'
        : undefined,
  },
  {
    id: 'sms.text',
    channels: SMS,
    level: 'error',
    check: (f) => (f.plan.written.text ? undefined : 'an SMS needs its text (the HTML part is not sent by SMS)'),
  },
  {
    id: 'sms.stop',
    channels: SMS,
    level: 'warning',
    check: (f) =>
      f.marketing && f.plan.written.text && !STOP_MENTION.test(f.text ?? '')
        ? 'a marketing SMS should tell how to stop receiving them, e.g. "STOP to unsubscribe"'
        : undefined,
  },
  { id: 'push.title', channels: PUSH, level: 'error', check: (f) => (f.subject.trim() ? undefined : 'a push notification needs its title') },
  {
    id: 'routing.provider',
    channels: ROUTED,
    level: 'error',
    check: (f) =>
      f.routedChannels?.includes(f.channel ?? 'email')
        ? undefined
        : `no [[routing.providers]] is configured for ${f.channel}: the extraction file would have nowhere to go`,
  },
  { id: 'validity.ended', level: 'error', check: (f) => (f.validityEnd && f.validityEnd <= f.now ? 'the validity period has already ended' : undefined) },
  {
    id: 'validity.schedule',
    level: 'error',
    check: (f) => (f.scheduledAt && f.validityEnd && f.scheduledAt >= f.validityEnd ? 'the contact date is after the end of the validity period' : undefined),
  },
  {
    id: 'proof.size',
    level: 'error',
    check: (f) =>
      f.kind === 'proof' && f.proofRecipients > f.maxProofRecipients
        ? `a proof goes to at most ${f.maxProofRecipients} addresses (got ${f.proofRecipients})`
        : undefined,
  },
];

const SUBJECT_SHOWN = 60;
const GMAIL_CLIP_KB = 102;
const MIN_TEXT_WITH_IMAGES = 250;
/** A tracked link becomes <tracking URL>/r/<signed token>: about this many bytes more in every message. */
const TRACKED_LINK_BYTES = 110;
const kb = (bytes: number) => Math.ceil(bytes / 1024);
const htmlKb = (c: ContentFacts) => kb(c.htmlBytes + c.trackedLinks * TRACKED_LINK_BYTES);

function fromProblem(address: string, what = 'sender'): string | undefined {
  const problem = addressProblem(normalizeAddress(address));
  return problem ? `the ${what} address is not valid: ${problem}` : undefined;
}

/** Every issue: the content plan's own, then each rule that fires. */
export function runControlRules(f: RuleFacts): Issue[] {
  const channel = f.channel ?? 'email';
  const fired = CONTROL_RULES.flatMap((r) => {
    if (r.channels && !r.channels.includes(channel)) return [];
    const message = r.check(f);
    return message ? [{ rule: r.id, level: r.level, message }] : [];
  });
  return [...f.plan.issues, ...fired];
}

export const blockingErrors = (issues: readonly Issue[]): number => issues.filter((i) => i.level === 'error').length;
