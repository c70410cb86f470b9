import { addressDomain } from '../shared/email-address.js';
import { describeError, HeraldError } from '../shared/errors.js';
import type { Channel, DeliveryKind } from '../shared/glossary.js';
import { contentFacts } from './checks/content-facts.js';
import { blockingErrors, runControlRules } from './control-rules.js';
import type { DkimKey } from './mime/dkim.js';
import type { PushSettings } from './push/push-content.js';
import type { ContentFormat } from './source/blocks.js';
import { planContent, type ContentPlan } from './template/content.js';
import type { Issue } from './template/plan.js';
import { compileRenderer } from './template/renderer.js';

/**
 * A message's content, declared once: what an operator writes in the console form, the API or the
 * CLI, what a transactional template holds, and what a delivery row stores. One check
 * (checkContent) answers every issue of a content, for the analysis, the publication of a template
 * and the opening of an event delivery.
 */
export interface MessageContent {
  subject: string;
  fromName: string | null;
  fromAddress: string;
  replyTo: string | null;
  /**
   * What `html` holds: HTML (the default) or MJML, either of them with content block references
   * (`<herald-block name="…">`). Only HTML without references can be planned: renderSource()
   * (source/render-source.ts) compiles the others once per content.
   */
  format?: ContentFormat;
  /** Eta templates; null when the message has no such part. */
  html: string | null;
  text: string | null;
  /** Extra headers, name → template. */
  headers: Readonly<Record<string, string>>;
  trackingEnabled: boolean;
  openTracking: boolean;
}

/** The delivery a content belongs to: what templates see as `delivery`, the List-Id, and whether marketing rules apply. */
export interface ContentOwner {
  id: number;
  internalName: string;
  label: string;
  kind: DeliveryKind;
  /** Marketing content (a proof of a marketing delivery is marketing too): unsubscribe headers and rules. */
  marketing: boolean;
  serviceId: number | null;
  /** A push delivery written with its own fields: what the push sender reads besides the parts. */
  push?: PushSettings;
}

/** The content plan: parts, output contexts of every tag, links ('tracked': tracked when the content says so). */
export function contentPlan(c: MessageContent, mode: 'tracked' | 'direct'): ContentPlan {
  if (c.format === 'mjml') throw new HeraldError('CONTENT_NOT_COMPILED', 'MJML content is compiled (renderSource) before it is planned');
  const track = mode === 'tracked' && c.trackingEnabled;
  return planContent({ subject: c.subject, html: c.html ?? '', text: c.text ?? '', headers: c.headers, track, openPixel: track && c.openTracking });
}

/** The keys of the most specific configured domain that is the From domain or a parent of it. */
export function keysForDomain<K extends Pick<DkimKey, 'domain' | 'algorithm'>>(keys: readonly K[], fromAddress: string): K[] {
  const domain = addressDomain(fromAddress);
  const matching = keys.filter((k) => domain === k.domain.toLowerCase() || domain.endsWith(`.${k.domain.toLowerCase()}`));
  const best = Math.max(-1, ...matching.map((k) => k.domain.length));
  return matching.filter((k) => k.domain.length === best).sort((a, b) => (a.algorithm === b.algorithm ? 0 : a.algorithm === 'ed25519-sha256' ? 1 : -1));
}

/** What the control rules need besides the content. */
export interface ContentContext {
  kind: DeliveryKind;
  /** The delivery's channel (email when not given). */
  channel?: Channel;
  /** The channels a [[routing.providers]] entry serves (direct mail, fax). */
  routedChannels?: readonly Channel[];
  marketing: boolean;
  /** The instance name an added instance's tracked links carry, if any (sendingIdentity). */
  trackingTag?: string;
  /** Every configured DKIM key (those of the From domain count). */
  dkim: ReadonlyArray<Pick<DkimKey, 'domain' | 'algorithm'>>;
  /** Custom fields the content or the target reads that no recipient has. */
  missingCustomFields: string[];
  validityEnd: Date | null;
  scheduledAt: Date | null;
  /** Seed addresses of a proof. */
  proofRecipients: number;
  maxProofRecipients: number;
  now: Date;
}

/**
 * Every issue of a content, in order: the template's own (syntax, contexts, links, fields), whether
 * it compiles, then each control rule that fires. An `error` blocks the start or the publication.
 */
export function checkContent(content: MessageContent, plan: ContentPlan, context: ContentContext): Issue[] {
  const issues = [...plan.issues];
  if (blockingErrors(issues) === 0) {
    try {
      compileRenderer(plan);
    } catch (err) {
      issues.push({ rule: 'content.syntax', level: 'error', message: describeError(err) });
    }
  }
  return runControlRules({
    ...context,
    subject: content.subject,
    text: content.text,
    fromName: content.fromName,
    fromAddress: content.fromAddress,
    replyTo: content.replyTo,
    plan: { ...plan, issues },
    content: contentFacts(content.html ?? '', content.text ?? '', plan.links.length),
    dkimKeys: keysForDomain(context.dkim, content.fromAddress).length,
  });
}
