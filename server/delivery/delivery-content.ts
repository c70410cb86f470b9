import type { Database } from '../db/connect.js';
import type { TrackingUrlRow } from '../db/repos/delivery-urls.js';
import { findService } from '../db/repos/services.js';
import type { Delivery } from '../db/models/index.js';
import type { HeraldConfig } from '../shared/config/schema.js';
import { HeraldError } from '../shared/errors.js';
import { EXIT } from '../shared/exit-codes.js';
import type { ListIdentity, SendingIdentity } from './compile-delivery.js';
import type { ContentOwner, MessageContent } from './message-content.js';
import type { ContentPlan } from './template/content.js';
import { blockNames } from './source/blocks.js';
import { parsePushContent, pushParts } from './push/push-content.js';
import { parseTargetSpec, type TargetSpec } from './target-spec.js';

/** Bridges a delivery row and the pure core: its content, target, identity and tracking URL rows. */

export function notFound(ref: string | number): HeraldError {
  return new HeraldError('DELIVERY_NOT_FOUND', `no delivery ${JSON.stringify(String(ref))}`, { exitCode: EXIT.DATA, status: 404 });
}

export function refused(reason: string): HeraldError {
  return new HeraldError('DELIVERY_STATE', reason, { exitCode: EXIT.DATA, status: 409 });
}

/**
 * Only a proof needs its target here (is it a proof of marketing content?); transactional deliveries have none.
 * A push delivery with its own fields is read as parts (push/push-content.ts): title as the subject,
 * body and page as the text part; one written before them keeps its subject and text.
 */
export function contentOf(d: Delivery, target?: TargetSpec): MessageContent & ContentOwner {
  const proof = d.kind === 'proof' ? (target ?? parseTargetSpec(d.target)) : undefined;
  const push = d.channel === 'push' ? parsePushContent(d.pushContent) : null;
  const content: MessageContent & ContentOwner = {
    id: d.id,
    internalName: d.internalName,
    label: d.label,
    kind: d.kind,
    marketing: d.kind === 'marketing' || (proof?.kind === 'addresses' && proof.sourceKind === 'marketing'),
    subject: d.subject ?? '',
    fromName: d.fromName,
    fromAddress: d.fromAddress ?? '',
    replyTo: d.replyTo,
    format: d.contentFormat,
    html: d.html,
    text: d.text,
    headers: d.headers ?? {},
    serviceId: d.serviceId,
    trackingEnabled: d.trackingEnabled,
    openTracking: d.openTracking,
  };
  return push ? { ...content, ...pushParts(push), format: 'html', html: null, headers: {} } : content;
}

/**
 * The content as it is sent: the HTML and text its analysis compiled (blocks included, MJML
 * compiled, text generated), so a block edited after the analysis changes nothing in a delivery
 * already analysed. A plain HTML content analysed before contents were compiled is sent as written.
 */
export function sentContentOf(d: Delivery): MessageContent & ContentOwner {
  const content = contentOf(d);
  if (d.compiledHtml !== null || d.compiledText !== null) return { ...content, format: 'html', html: d.compiledHtml, text: d.compiledText };
  if (content.format === 'mjml' || blockNames(content.html ?? '').length > 0)
    throw new HeraldError('DELIVERY_NOT_ANALYSED', 'the content has not been compiled; analyse the delivery again');
  return content;
}

const noSlash = (url: string) => url.replace(/\/+$/, '');

/** The instance name this install's tracked links carry (an added instance's, `tracking.instanceTag`). */
export const trackingTagOf = (config: HeraldConfig): { trackingTag?: string } => (config.tracking.instanceTag ? { trackingTag: config.instanceName } : {});

export function sendingIdentity(config: HeraldConfig): SendingIdentity {
  return {
    trackingKey: config.secrets.trackingKey,
    ...trackingTagOf(config),
    bounceKey: config.secrets.bounceKey,
    trackingUrl: noSlash(config.tracking.publicUrl),
    webUrl: noSlash(config.web.publicUrl),
    bounceDomain: config.mail.bounceDomain,
    verpPrefix: config.mail.verpPrefix,
    messageIdDomain: config.mail.messageIdDomain,
    renderBudgetMs: config.delivery.renderTimeoutMs,
  };
}

/** List-Id: the delivery's service (one list per newsletter), else the delivery itself. */
export async function listIdentity(db: Database, d: Delivery): Promise<ListIdentity> {
  const service = d.serviceId ? await findService(db, d.serviceId) : null;
  return service ? { name: service.name, label: service.label } : { name: d.internalName, label: d.label };
}

/** The tracking URL rows an analysis creates for a content plan. */
export function trackingRowsFor(plan: ContentPlan): Array<Omit<TrackingUrlRow, 'id'>> {
  const rows: Array<Omit<TrackingUrlRow, 'id'>> = plan.links.map((l) => ({ type: l.type, url: l.url, label: l.label || l.url.slice(0, 255) }));
  if (plan.pixel) rows.push({ type: 'open', url: '', label: 'Open' });
  if (plan.usesMirror) rows.push({ type: 'mirror', url: '', label: 'Mirror page' });
  return rows;
}
