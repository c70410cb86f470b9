import { HeraldError } from '../shared/errors.js';
import type { TrackingUrlType } from '../shared/glossary.js';
import type { DkimKey } from './mime/dkim.js';
import { mailbox, structuredHeaderLine } from './mime/headers.js';
import { SegmentEncoder } from './mime/segment-encoder.js';
import { mimeSkeleton, type MimeSkeleton } from './mime/skeleton.js';
import { contentPlan, keysForDomain, type ContentOwner, type MessageContent } from './message-content.js';
import type { ContentPlan, PartKind } from './template/content.js';
import { linkKey } from './template/plan.js';
import { compileRenderer, type Renderer } from './template/renderer.js';

/**
 * Compiles a delivery once, before its first message: the content plan, the render function, the
 * tracked links mapped to their tracking URL rows, the invariant header lines and MIME skeleton, and
 * the DKIM keys of the sending domain. buildMessage() then only substitutes per recipient.
 */

/** Where links point and how messages are identified (config values and secrets). */
export interface SendingIdentity {
  trackingKey: string;
  /** The instance tag signed into tracking tokens (its instanceName); absent: untagged tokens. */
  trackingTag?: string;
  bounceKey: string;
  /** tracking.publicUrl and web.publicUrl, without a trailing slash. */
  trackingUrl: string;
  webUrl: string;
  bounceDomain: string;
  verpPrefix: string;
  messageIdDomain: string;
  /** Time budget of one message's personalization (0 = none). */
  renderBudgetMs: number;
}

export interface TrackingUrlRef {
  id: number;
  type: TrackingUrlType;
  url: string;
}

/** The list a marketing message belongs to (List-Id): the delivery's service, else the delivery. */
export interface ListIdentity {
  name: string;
  label: string;
}

export interface CompileInput {
  delivery: MessageContent & ContentOwner;
  /** The delivery's tracking URL rows; 'direct' (preview before analysis) keeps links untracked. */
  urls: readonly TrackingUrlRef[] | 'direct';
  identity: SendingIdentity;
  /** Every configured DKIM key; those of the From domain are used. */
  dkim: readonly DkimKey[];
  list: ListIdentity;
}

export interface CompiledLink {
  urlId: number | undefined;
  url: string;
}

export interface CompiledDelivery {
  readonly delivery: MessageContent & ContentOwner;
  readonly identity: SendingIdentity;
  readonly renderer: Renderer;
  /** Position of each part in the render output. */
  readonly parts: { subject: number; html: number; text: number; headers: Array<{ name: string; index: number }> };
  readonly links: readonly CompiledLink[];
  readonly openUrlId: number | undefined;
  readonly mirrorUrlId: number | undefined;
  /** Header lines that are the same for every message. */
  readonly staticHeaders: { from: string; replyTo: string; listId: string; listUnsubscribePost: string };
  readonly mime: MimeSkeleton;
  /** Encodes the HTML and text parts; keeps the encoding of the static text for the delivery's life. */
  readonly bodyEncoder: SegmentEncoder;
  readonly dkim: readonly DkimKey[];
  /** What templates see as `delivery`. */
  readonly deliveryData: Readonly<Record<string, unknown>>;
}

function mapLinks(plan: ContentPlan, urls: CompileInput['urls']): CompiledLink[] {
  if (urls === 'direct') return plan.links.map((l) => ({ urlId: undefined, url: l.url }));
  const byKey = new Map(urls.map((u) => [linkKey(u.type, u.url), u.id]));
  return plan.links.map((l) => {
    const urlId = byKey.get(l.key);
    if (urlId === undefined)
      throw new HeraldError('DELIVERY_NOT_ANALYSED', 'the content has links that the analysis did not record; analyse the delivery again');
    return { urlId, url: l.url };
  });
}

/** RFC 2919: `Label <name.domain>`, the name reduced to a dot-atom label. */
function listIdText(list: ListIdentity, domain: string): string {
  const name =
    list.name
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'list';
  return mailbox(list.label, `${name}.${domain}`);
}

export function compileDelivery(input: CompileInput): CompiledDelivery {
  const { delivery: d, identity } = input;
  const plan = contentPlan(d, input.urls === 'direct' ? 'direct' : 'tracked');
  const errors = plan.issues.filter((i) => i.level === 'error');
  if (errors.length > 0) throw new HeraldError('DELIVERY_CONTENT_INVALID', `the content cannot be sent: ${errors[0]!.message}`);
  const renderer = compileRenderer(plan);
  const indexOf = (kind: PartKind) => plan.parts.findIndex((p) => p.kind === kind);
  const rows = input.urls === 'direct' ? [] : input.urls;
  const openUrlId = rows.find((u) => u.type === 'open')?.id;
  const mirrorUrlId = plan.usesMirror ? rows.find((u) => u.type === 'mirror')?.id : undefined;
  if (input.urls !== 'direct' && ((plan.pixel && openUrlId === undefined) || (plan.usesMirror && mirrorUrlId === undefined))) {
    throw new HeraldError('DELIVERY_NOT_ANALYSED', 'the open or mirror-page tracking URL is missing; analyse the delivery again');
  }
  return {
    delivery: d,
    identity,
    renderer,
    parts: {
      subject: indexOf('subject'),
      html: indexOf('html'),
      text: indexOf('text'),
      headers: plan.parts.flatMap((p, index) => (p.kind === 'header' ? [{ name: p.header!, index }] : [])),
    },
    links: mapLinks(plan, input.urls),
    openUrlId,
    mirrorUrlId,
    staticHeaders: {
      from: structuredHeaderLine('From', mailbox(d.fromName, d.fromAddress)),
      replyTo: d.replyTo ? structuredHeaderLine('Reply-To', d.replyTo) : '',
      listId: d.marketing ? structuredHeaderLine('List-Id', listIdText(input.list, identity.messageIdDomain)) : '',
      listUnsubscribePost: d.marketing ? 'List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n' : '',
    },
    mime: mimeSkeleton(`${d.id}:${d.internalName}`),
    bodyEncoder: new SegmentEncoder(renderer.statics),
    dkim: keysForDomain(input.dkim, d.fromAddress),
    deliveryData: Object.freeze(Object.assign(Object.create(null), { id: d.id, label: d.label, internalName: d.internalName, kind: d.kind })),
  };
}
