import { addressProblemCode, normalizeAddress } from '../shared/email-address.js';
import type { Channel, DeliveryKind } from '../shared/glossary.js';
import type { ContentFacts } from './checks/content-facts.js';
import { keyedIssue } from './issue-texts/index.js';
import type { IssueKey } from './issue-texts/en.js';
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
  /** The instance name an added instance's tracked links carry (`/r/<tag>.<token>`), if any. */
  trackingTag?: string;
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
  check(f: RuleFacts): Worded | undefined;
}

/** What a rule says: a catalogue key (server/delivery/issue-texts) and its values. */
interface Worded {
  key: IssueKey;
  params?: Record<string, string | number>;
}

const say = (key: IssueKey, params?: Worded['params']): Worded => ({ key, ...(params ? { params } : {}) });

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
    check: (f) => (f.plan.written.html || f.plan.written.text ? undefined : say('check.content.empty')),
  },
  { id: 'subject.empty', channels: EMAIL, level: 'error', check: (f) => (f.subject.trim() ? undefined : say('check.subject.empty')) },
  {
    id: 'subject.characters',
    channels: EMAIL,
    level: 'error',
    check: (f) => (/[\u0000-\u001F\u007F]/.test(f.subject) ? say('check.subject.characters') : undefined),
  },
  {
    id: 'subject.length',
    channels: EMAIL,
    level: 'warning',
    check: (f) => (f.subject.length > SUBJECT_SHOWN ? say('check.subject.length', { length: f.subject.length, shown: SUBJECT_SHOWN }) : undefined),
  },
  { id: 'from.address', channels: EMAIL, level: 'error', check: (f) => (!f.fromAddress ? say('check.from.missing') : fromProblem(f.fromAddress)) },
  {
    id: 'from.name',
    channels: EMAIL,
    level: 'warning',
    check: (f) => (/[<>@"\u0000-\u001F]/.test(f.fromName ?? '') ? say('check.from.name') : undefined),
  },
  { id: 'replyTo.address', channels: EMAIL, level: 'error', check: (f) => (f.replyTo ? fromProblem(f.replyTo, 'check.replyTo.invalid') : undefined) },
  {
    id: 'from.dkim',
    channels: EMAIL,
    level: 'warning',
    check: (f) => (f.dkimKeys === 0 && f.kind !== 'proof' ? say('check.from.dkim') : undefined),
  },
  {
    id: 'unsubscribe.html',
    channels: EMAIL,
    level: 'error',
    check: (f) => (f.marketing && has(f, 'html') && !f.plan.unsubscribe.html ? say('check.unsubscribe.html') : undefined),
  },
  {
    id: 'unsubscribe.text',
    channels: EMAIL,
    level: 'error',
    check: (f) => (f.marketing && has(f, 'text') && !f.plan.unsubscribe.text ? say('check.unsubscribe.text') : undefined),
  },
  {
    id: 'text.missing',
    channels: EMAIL,
    level: 'warning',
    check: (f) => (has(f, 'html') && !f.plan.written.text ? say('check.text.missing') : undefined),
  },
  {
    id: 'fields.custom',
    level: 'warning',
    check: (f) => (f.missingCustomFields.length ? say('check.fields.custom', { fields: f.missingCustomFields.join(', ') }) : undefined),
  },
  {
    id: 'images.alt',
    channels: EMAIL,
    level: 'warning',
    check: ({ content: c }) =>
      c?.imagesWithoutAlt.length ? say('check.images.alt', { count: c.imagesWithoutAlt.length, images: c.imagesWithoutAlt.slice(0, 3).join(', ') }) : undefined,
  },
  {
    id: 'size.gmail',
    channels: EMAIL,
    level: 'warning',
    check: (f) => (f.content && htmlKb(f) > GMAIL_CLIP_KB ? say('check.size.gmail', { kb: htmlKb(f), limit: GMAIL_CLIP_KB }) : undefined),
  },
  {
    id: 'size.total',
    channels: EMAIL,
    level: 'info',
    check: (f) =>
      f.content ? say('check.size.total', { total: htmlKb(f) + kb(f.content.textBytes), html: htmlKb(f), text: kb(f.content.textBytes) }) : undefined,
  },
  {
    id: 'balance.images',
    channels: EMAIL,
    level: 'warning',
    check: ({ content: c }) =>
      c && c.images > 0 && c.visibleTextChars < MIN_TEXT_WITH_IMAGES ? say('check.balance.images', { images: c.images, chars: c.visibleTextChars }) : undefined,
  },
  {
    id: 'balance.text',
    channels: EMAIL,
    level: 'warning',
    check: ({ content: c, plan }) =>
      c && plan.written.text && plan.written.html && c.textPartChars < c.visibleTextChars * 0.3
        ? say('check.balance.text', { textChars: c.textPartChars, htmlChars: c.visibleTextChars })
        : undefined,
  },
  {
    id: 'preheader.missing',
    channels: EMAIL,
    level: 'warning',
    check: (f) => (f.content && f.marketing && has(f, 'html') && !f.content.preheader ? say('check.preheader.missing') : undefined),
  },
  {
    id: 'footer.address',
    channels: EMAIL,
    level: 'warning',
    check: (f) => (f.content && f.marketing && f.content.exampleAddress ? say('check.footer.address') : undefined),
  },
  {
    id: 'sms.text',
    channels: SMS,
    level: 'error',
    check: (f) => (f.plan.written.text ? undefined : say('check.sms.text')),
  },
  {
    id: 'sms.stop',
    channels: SMS,
    level: 'warning',
    check: (f) => (f.marketing && f.plan.written.text && !STOP_MENTION.test(f.text ?? '') ? say('check.sms.stop') : undefined),
  },
  { id: 'push.title', channels: PUSH, level: 'error', check: (f) => (f.subject.trim() ? undefined : say('check.push.title')) },
  {
    id: 'routing.provider',
    channels: ROUTED,
    level: 'error',
    check: (f) => (f.routedChannels?.includes(f.channel ?? 'email') ? undefined : say('check.routing.provider', { channel: f.channel ?? 'email' })),
  },
  { id: 'validity.ended', level: 'error', check: (f) => (f.validityEnd && f.validityEnd <= f.now ? say('check.validity.ended') : undefined) },
  {
    id: 'validity.schedule',
    level: 'error',
    check: (f) => (f.scheduledAt && f.validityEnd && f.scheduledAt >= f.validityEnd ? say('check.validity.schedule') : undefined),
  },
  {
    id: 'proof.size',
    level: 'error',
    check: (f) =>
      f.kind === 'proof' && f.proofRecipients > f.maxProofRecipients
        ? say('check.proof.size', { max: f.maxProofRecipients, count: f.proofRecipients })
        : undefined,
  },
];

const SUBJECT_SHOWN = 60;
const GMAIL_CLIP_KB = 102;
const MIN_TEXT_WITH_IMAGES = 250;
/**
 * A tracked link becomes <tracking URL>/r/<signed token>: about this many bytes more in every
 * message, and an instance tag's length and its dot more when the links carry one.
 */
const TRACKED_LINK_BYTES = 110;
const kb = (bytes: number) => Math.ceil(bytes / 1024);
const trackedLinkBytes = (tag: string | undefined) => TRACKED_LINK_BYTES + (tag ? Buffer.byteLength(tag) + 1 : 0);
const htmlKb = (f: RuleFacts) => (f.content ? kb(f.content.htmlBytes + f.content.trackedLinks * trackedLinkBytes(f.trackingTag)) : 0);

function fromProblem(address: string, key: IssueKey = 'check.from.invalid'): Worded | undefined {
  const problem = addressProblemCode(normalizeAddress(address));
  return problem ? say(key, { problemKey: `check.address.${problem}` }) : undefined;
}

/** Every issue: the content plan's own, then each rule that fires. */
export function runControlRules(f: RuleFacts): Issue[] {
  const channel = f.channel ?? 'email';
  const fired = CONTROL_RULES.flatMap((r) => {
    if (r.channels && !r.channels.includes(channel)) return [];
    const worded = r.check(f);
    return worded ? [keyedIssue(r.id, r.level, worded.key, worded.params)] : [];
  });
  return [...f.plan.issues, ...fired];
}

export const blockingErrors = (issues: readonly Issue[]): number => issues.filter((i) => i.level === 'error').length;
