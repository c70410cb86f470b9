import { addressProblem } from '../shared/email-address.js';
import type { EmailFormat, FailureReason } from '../shared/glossary.js';
import { encodeRecipientToken, encodeTrackingToken, messageIdFor, verpAddress, type VerpIds } from '../shared/tokens.js';
import type { CompiledDelivery } from './compile-delivery.js';
import { bodyHash, dkimSignatureLine, type HeaderField } from './mime/dkim.js';
import { headerLine, rfc5322Date, structuredHeaderLine } from './mime/headers.js';
import type { SegmentResolver } from './mime/segment-encoder.js';
import { mimeBody, type Layout } from './mime/skeleton.js';
import { PIXEL_SEGMENT, segmentLink, type RenderInput, type RenderOutput, type Segment } from './template/renderer.js';

/**
 * buildMessage(compiledDelivery, recipient, broadLogRow, now): the one message of a broad log row,
 * ready for SMTP; buildMessages() does the same for a batch. Pure (no I/O; the time is passed in).
 * A personalization error or timeout fails that message only, with reason `unreachable` and a
 * readable error; nothing is thrown for it.
 */

export interface MessageRecipient {
  /** null for a proof seed address that is not a recipient. */
  id: number | null;
  email: string;
  firstName: string | null;
  lastName: string | null;
  emailFormat: EmailFormat;
  fields: Readonly<Record<string, string>> | null;
}

export interface MessageLog {
  id: number;
  address: string;
  emailFormat: EmailFormat;
}

export type BuiltMessage = { ok: true; envelope: { from: string; to: string }; raw: Buffer; messageId: string; subject: string };
export type BuildFailure = { ok: false; reason: FailureReason; error: string };

/** Headers signed by DKIM; the second mention of a name oversigns it (nobody can add another). */
const SIGNED = [
  'from',
  'to',
  'subject',
  'date',
  'message-id',
  'reply-to',
  'list-id',
  'list-unsubscribe',
  'list-unsubscribe-post',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
];
const OVERSIGNED = ['from', 'to', 'subject', 'reply-to', 'list-id', 'list-unsubscribe', 'list-unsubscribe-post'];

const nullProto = (o: object) => Object.freeze(Object.assign(Object.create(null), o));
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const escapeAttr = (url: string) => url.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

function trackedUrl(c: CompiledDelivery, index: number, rawParams: readonly string[], ids: VerpIds): string {
  const params = rawParams.map((p) => p.replace(LONE_SURROGATE, '\uFFFD'));
  const link = c.links[index]!;
  if (link.urlId === undefined) return link.url.replace(/\{p(\d+)\}/g, (_, k: string) => encodeURIComponent(params[Number(k) - 1] ?? ''));
  const token = encodeTrackingToken(c.identity.trackingKey, { ...ids, urlId: link.urlId }, params, c.identity.trackingTag);
  return `${c.identity.trackingUrl}/r/${token}${params.length ? `?${params.map((p, k) => `p${k + 1}=${encodeURIComponent(p)}`).join('&')}` : ''}`;
}

/** The open pixel's URL ('' when opens are not tracked). */
function pixelUrl(c: CompiledDelivery, ids: VerpIds): string {
  return c.openUrlId === undefined
    ? ''
    : `${c.identity.trackingUrl}/o/${encodeTrackingToken(c.identity.trackingKey, { ...ids, urlId: c.openUrlId }, [], c.identity.trackingTag)}`;
}

/** The URL of the n-th link of a message (signed once per distinct link and parameters), attribute-escaped in HTML. */
function linkUrl(c: CompiledDelivery, out: RenderOutput, n: number, html: boolean, ids: VerpIds, cache: Map<string, string>): string {
  const index = out.links[n * 2] as number;
  const params = out.links[n * 2 + 1] as string[];
  const key = `${index}\u0000${params.join('\u0000')}`;
  let url = cache.get(key);
  if (url === undefined) cache.set(key, (url = trackedUrl(c, index, params, ids)));
  return html ? escapeAttr(url) : url;
}

/** What a link or pixel segment stands for in this message. */
function segmentResolver(c: CompiledDelivery, out: RenderOutput, ids: VerpIds): SegmentResolver {
  const cache = new Map<string, string>();
  return (segment) => {
    if (segment === PIXEL_SEGMENT) return pixelUrl(c, ids);
    const { n, html } = segmentLink(segment);
    return linkUrl(c, out, n, html, ids, cache);
  };
}

/** A part of a rendered message as text, links signed (SMS, push). */
export function partText(c: CompiledDelivery, out: RenderOutput, index: number, ids: VerpIds): string {
  const part = out.parts[index]!;
  if (typeof part === 'string') return part;
  const resolve = segmentResolver(c, out, ids);
  let text = '';
  for (const s of part) text += typeof s === 'string' ? s : s >= 0 ? c.renderer.statics[s]! : resolve(s);
  return text;
}

export interface SystemLinks {
  /** What templates read as `links`. */
  links: { unsubscribe: string; mirror: string; preferences: string };
  /** The unsubscribe token of the List-Unsubscribe mailto: without the message ids, so the local part stays within 64 octets. */
  mailtoToken: string;
}

export function systemLinks(c: CompiledDelivery, recipient: MessageRecipient, ids: VerpIds): SystemLinks {
  const d = c.delivery;
  const { trackingKey, trackingTag, webUrl } = c.identity;
  // A proof carries no-op tokens (recipient 0): a seed clicking "unsubscribe" must not unsubscribe the recipient it impersonates.
  const recipientId = d.kind === 'proof' ? 0 : (recipient.id ?? 0);
  const claims = { recipientId, purpose: 'unsubscribe' as const, serviceId: d.serviceId ?? 0, expiresAt: 0 };
  // The unsubscribe link names its message, so an opt-out through it counts for this delivery.
  const message = recipientId > 0 && ids.broadLogId > 0 ? { deliveryId: ids.deliveryId, broadLogId: ids.broadLogId } : undefined;
  const unsubscribe = `${webUrl}/u/${encodeRecipientToken(trackingKey, { ...claims, message })}`;
  const preferences = `${webUrl}/p/${encodeRecipientToken(trackingKey, { recipientId, purpose: 'preferences', serviceId: 0, expiresAt: 0 })}`;
  const mirror =
    c.mirrorUrlId === undefined ? '#mirror-page' : `${webUrl}/m/${encodeTrackingToken(trackingKey, { ...ids, urlId: c.mirrorUrlId }, [], trackingTag)}`;
  return {
    links: { unsubscribe, mirror, preferences },
    mailtoToken: message ? encodeRecipientToken(trackingKey, claims) : unsubscribe.slice(unsubscribe.lastIndexOf('/') + 1),
  };
}

/** Custom field values as plain values: anything structured becomes its JSON text (templates only get primitives). */
function plainFields(fields: Readonly<Record<string, unknown>> | null): object {
  const out = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(fields ?? {})) out[k] = v !== null && typeof v === 'object' ? JSON.stringify(v) : v;
  return Object.freeze(out);
}

/**
 * What the templates see: frozen objects without prototypes (no way back to this realm's
 * constructors); a transactional event's context travels as JSON text and is parsed in the template's realm.
 */
export function renderInput(c: CompiledDelivery, r: MessageRecipient, log: MessageLog, links: object, event: EventContext | undefined) {
  const recipient = nullProto({
    id: r.id,
    email: r.email,
    firstName: r.firstName,
    lastName: r.lastName,
    emailFormat: r.emailFormat,
    fields: plainFields(r.fields),
  });
  const data = { recipient, delivery: c.deliveryData, message: nullProto({ id: log.id }), links: nullProto(links) };
  return nullProto(event ? { ...data, event: JSON.stringify(event) } : data) as RenderInput;
}

function layoutFor(c: CompiledDelivery, format: EmailFormat): Layout {
  const hasHtml = c.parts.html !== -1;
  const hasText = c.parts.text !== -1;
  if (hasHtml && hasText) return format === 'text' ? 'text' : 'alternative';
  return hasHtml ? 'html' : 'text';
}

/** A transactional event's context data (JSON-compatible), read by templates as `event`. */
export type EventContext = Readonly<Record<string, unknown>>;

export interface MessageItem {
  recipient: MessageRecipient;
  log: MessageLog;
  /** The event of a transactional message (see eventContexts() in server/db/repos/events.ts). */
  event?: EventContext;
}

/**
 * Builds the messages of a batch (the MTA claims broad logs in batches): one personalization call
 * for the whole batch (see Renderer.renderMany), then each message on its own. Results are in
 * input order; a failure concerns its message only.
 */
export function buildMessages(c: CompiledDelivery, items: readonly MessageItem[], now: Date): Array<BuiltMessage | BuildFailure> {
  const results: Array<BuiltMessage | BuildFailure | undefined> = items.map(({ log }) => {
    const problem = addressProblem(log.address);
    return problem ? { ok: false, reason: 'invalid_address', error: problem } : undefined;
  });
  const todo = items.flatMap((item, i) => (results[i] ? [] : [{ i, item, ids: { deliveryId: c.delivery.id, broadLogId: item.log.id } }]));
  const prepared = todo.map((t) => ({ ...t, links: systemLinks(c, t.item.recipient, t.ids) }));
  const rendered = c.renderer.renderMany(
    prepared.map((p) => renderInput(c, p.item.recipient, p.item.log, p.links.links, p.item.event)),
    c.identity.renderBudgetMs,
  );
  prepared.forEach((p, k) => {
    const r = rendered[k]!;
    results[p.i] = r.ok ? assemble(c, p.item.log, r.output, p.ids, p.links, now) : { ok: false, reason: 'unreachable', error: r.error };
  });
  return results as Array<BuiltMessage | BuildFailure>;
}

export function buildMessage(c: CompiledDelivery, recipient: MessageRecipient, log: MessageLog, now: Date, event?: EventContext): BuiltMessage | BuildFailure {
  return buildMessages(c, [{ recipient, log, event }], now)[0]!;
}

const NOTHING = Buffer.alloc(0);

function assemble(c: CompiledDelivery, log: MessageLog, out: RenderOutput, ids: VerpIds, system: SystemLinks, now: Date): BuiltMessage {
  const resolve = segmentResolver(c, out, ids);
  const layout = layoutFor(c, log.emailFormat);
  c.bodyEncoder.begin();
  const encoded = (i: number) => (i === -1 ? NOTHING : c.bodyEncoder.encode(out.parts[i] as Segment[], resolve, layout !== 'alternative'));
  const body = mimeBody(c.mime, layout, layout === 'html' ? NOTHING : encoded(c.parts.text), layout === 'text' ? NOTHING : encoded(c.parts.html));

  const { identity: id, staticHeaders: s } = c;
  const messageId = messageIdFor(id.bounceKey, ids, id.messageIdDomain);
  const subject = out.parts[c.parts.subject] as string;
  const fields: HeaderField[] = [
    { name: 'From', line: s.from },
    { name: 'To', line: structuredHeaderLine('To', log.address) },
    { name: 'Subject', line: headerLine('Subject', subject) },
    { name: 'Date', line: `Date: ${rfc5322Date(now)}\r\n` },
    { name: 'Message-ID', line: `Message-ID: ${messageId}\r\n` },
    { name: 'Reply-To', line: s.replyTo },
    { name: 'List-Id', line: s.listId },
    { name: 'List-Unsubscribe', line: c.delivery.marketing ? listUnsubscribe(c, system) : '' },
    { name: 'List-Unsubscribe-Post', line: s.listUnsubscribePost },
    ...c.parts.headers.map((h) => ({ name: h.name, line: headerLine(h.name, out.parts[h.index] as string) })),
    ...c.mime.contentHeaders[layout],
  ].filter((f) => f.line !== '');

  const signatures = c.dkim.length === 0 ? '' : sign(c, fields, body, now);
  const raw = Buffer.concat([Buffer.from(signatures + fields.map((f) => f.line).join('') + '\r\n'), ...body]);
  return { ok: true, envelope: { from: verpAddress(id.bounceKey, ids, id.bounceDomain, id.verpPrefix), to: log.address }, raw, messageId, subject };
}

/** RFC 8058: the HTTPS one-click URL first, then a mailto: to the bounce domain with the recipient's token. */
function listUnsubscribe(c: CompiledDelivery, system: SystemLinks): string {
  const mailto = `mailto:${c.identity.verpPrefix}+unsubscribe-${system.mailtoToken}@${c.identity.bounceDomain}`;
  return structuredHeaderLine('List-Unsubscribe', `<${system.links.unsubscribe}>, <${mailto}>`);
}

function sign(c: CompiledDelivery, fields: readonly HeaderField[], body: readonly Buffer[], now: Date): string {
  const custom = c.parts.headers.map((h) => h.name.toLowerCase());
  const names = [...SIGNED, ...custom, ...OVERSIGNED];
  const bh = bodyHash(body);
  return c.dkim.map((key) => dkimSignatureLine(key, fields, names, bh, now)).join('');
}
