import { simpleParser } from 'mailparser';
import { findDelivery } from '../db/repos/deliveries.js';
import { findBroadLog } from '../db/repos/delivery-logs.js';
import { eventContexts } from '../db/repos/events.js';
import { findRecipient, firstTargetRecipient, personalizationData } from '../db/repos/delivery-target.js';
import { trackingUrlsOf } from '../db/repos/delivery-urls.js';
import type { Delivery } from '../db/models/index.js';
import { normalizeAddress } from '../shared/email-address.js';
import { HeraldError, isHeraldError } from '../shared/errors.js';
import { EXIT } from '../shared/exit-codes.js';
import { renderDeliveryContent, type DeliveryDeps } from './analyse.js';
import { buildMessage, type EventContext, type MessageLog, type MessageRecipient } from './build-message.js';
import { compileDelivery, type CompiledDelivery } from './compile-delivery.js';
import { contentOf, listIdentity, notFound, sendingIdentity, sentContentOf } from './delivery-content.js';
import { messageRecipient } from './sending.js';
import { buildPushMessages, MAX_PAYLOAD_OCTETS, type PushPayload } from './push/build-push.js';
import { PUSH_LIMITS, shownText } from './push/push-content.js';
import { buildSmsMessages } from './sms/build-sms.js';
import type { SmsLayout } from './sms/segments.js';
import { parseTargetSpec } from './target-spec.js';

/**
 * Preview: the message one recipient would get (subject, HTML, text, headers, raw MIME), built by
 * the same code as real sending, without sending anything. Before analysis the links are shown as
 * written (untracked); after it, as the tracked links recipients will get. The raw message is read
 * back with mailparser, an independent MIME parser, to show the decoded parts.
 */

export interface Preview {
  deliveryId: number;
  recipient: { id: number | null; email: string };
  /** Links rewritten to tracking links (the delivery was analysed). */
  tracked: boolean;
  /** Set when personalization failed for this recipient (the message would fail with reason unreachable). */
  error?: string;
  envelope?: { from: string; to: string };
  subject?: string;
  html?: string;
  text?: string;
  headers?: Array<[string, string]>;
  raw?: string;
  /** An SMS: its encoding, length and segments, and what the delivery costs in segments (this text's count × messages to deliver). */
  sms?: SmsLayout & { deliverySegments: number | null };
  /** A push notification: its payload, what a phone shows of it, and the TTL and urgency it is sent with. */
  push?: PushPreview;
}

export interface PushPreview extends PushPayload {
  /** Title and body as a phone shows them collapsed (cut with an ellipsis). */
  shown: { title: string; body: string; cut: boolean };
  octets: number;
  maxOctets: number;
  ttlSeconds: number;
  urgency: string;
  /** Written before push fields: subject, text part and its first link stand for them. */
  older: boolean;
}

/**
 * An analysed delivery is shown as it is sent (its compiled content, tracked links); before the
 * analysis, its content is compiled now, with the blocks as they are now, and links are untracked.
 */
async function compileForPreview(deps: DeliveryDeps, d: Delivery): Promise<{ compiled: CompiledDelivery; tracked: boolean }> {
  const base = { identity: sendingIdentity(deps.config), dkim: deps.dkim, list: await listIdentity(deps.db, d) };
  const urls = await trackingUrlsOf(deps.db, d.id);
  if (urls.length > 0 && (d.compiledHtml !== null || d.compiledText !== null || d.contentFormat === 'html')) {
    try {
      return { compiled: compileDelivery({ ...base, delivery: sentContentOf(d), urls }), tracked: true };
    } catch (err) {
      if (!isHeraldError(err) || err.code !== 'DELIVERY_NOT_ANALYSED') throw err;
    }
  }
  const rendered = await renderDeliveryContent(deps, contentOf(d));
  const error = rendered.issues.find((i) => i.level === 'error');
  if (error) throw new HeraldError('DELIVERY_CONTENT_INVALID', `the content cannot be shown: ${error.message}`, { exitCode: EXIT.DATA, status: 422 });
  return { compiled: compileDelivery({ ...base, delivery: rendered.content, urls: 'direct' }), tracked: false };
}

async function previewRecipient(deps: DeliveryDeps, d: Delivery, ref: string | number | undefined, now: Date): Promise<MessageRecipient> {
  const target = parseTargetSpec(d.target);
  if (ref !== undefined) {
    const found = await findRecipient(deps.db, ref);
    if (found) return found;
    if (typeof ref === 'string' && ref.includes('@')) return messageRecipient({ address: normalizeAddress(ref), emailFormat: 'html' }, undefined);
    throw new HeraldError('RECIPIENT_NOT_FOUND', `no recipient ${JSON.stringify(String(ref))}`, { exitCode: EXIT.DATA, status: 404 });
  }
  if (target.kind === 'addresses') {
    const data = target.recipientId ? await findRecipient(deps.db, target.recipientId) : undefined;
    return messageRecipient({ address: target.addresses[0] ?? '', emailFormat: 'html' }, data);
  }
  const first = await firstTargetRecipient(deps.db, target, now);
  if (!first)
    throw new HeraldError('TARGET_EMPTY', 'the target has no recipient to preview with; name one with --recipient', { exitCode: EXIT.DATA, status: 404 });
  return first;
}

async function render(
  compiled: CompiledDelivery,
  tracked: boolean,
  recipient: MessageRecipient,
  log: MessageLog,
  now: Date,
  event?: EventContext,
): Promise<Preview> {
  const base: Preview = { deliveryId: compiled.delivery.id, recipient: { id: recipient.id, email: log.address }, tracked };
  const built = buildMessage(compiled, recipient, log, now, event);
  if (!built.ok) return { ...base, error: built.error };
  const parsed = await simpleParser(built.raw, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true, skipTextLinks: true });
  const raw = built.raw.toString('utf8');
  const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
  const headers = head.split(/\r\n(?![ \t])/).map((line): [string, string] => [
    line.slice(0, line.indexOf(':')),
    line
      .slice(line.indexOf(':') + 1)
      .replace(/\r\n[ \t]/g, ' ')
      .trim(),
  ]);
  return { ...base, envelope: built.envelope, subject: parsed.subject ?? '', html: parsed.html || undefined, text: parsed.text, headers, raw };
}

/** Preview for a recipient (id or email; default: the first of the target). */
export async function previewDelivery(deps: DeliveryDeps, ref: string | number, recipientRef: string | number | undefined, now: Date): Promise<Preview> {
  const d = await findDelivery(deps.db, ref);
  if (!d) throw notFound(ref);
  const recipient = await previewRecipient(deps, d, recipientRef, now);
  const { compiled, tracked } = await compileForPreview(deps, d);
  if (d.channel === 'sms') return renderSms(compiled, tracked, recipient, d.analysedAt ? d.toDeliver : null);
  if (d.channel === 'push') return renderPush(compiled, tracked, recipient, deps.config.push);
  return render(compiled, tracked, recipient, { id: 0, address: recipient.email, emailFormat: recipient.emailFormat }, now);
}

/** The SMS one recipient would get: its text (links tracked after the analysis), encoding and segments. */
function renderSms(compiled: CompiledDelivery, tracked: boolean, recipient: MessageRecipient, toDeliver: number | null): Preview {
  const base: Preview = { deliveryId: compiled.delivery.id, recipient: { id: recipient.id, email: recipient.email }, tracked };
  const [built] = buildSmsMessages(compiled, [{ recipient, log: { id: 0, address: '', emailFormat: 'text' } }], { checkNumber: false });
  if (!built?.ok) return { ...base, error: built?.error ?? 'the SMS cannot be built' };
  return { ...base, text: built.text, sms: { ...built.layout, deliverySegments: toDeliver === null ? null : toDeliver * built.layout.segments } };
}

/** The notification one recipient would get (links tracked after the analysis), as a phone shows it. */
function renderPush(compiled: CompiledDelivery, tracked: boolean, recipient: MessageRecipient, site: { ttlSeconds: number; urgency: string }): Preview {
  const base: Preview = { deliveryId: compiled.delivery.id, recipient: { id: recipient.id, email: recipient.email }, tracked };
  const [built] = buildPushMessages(compiled, [{ recipient, log: { id: 0, address: '', emailFormat: 'text' } }]);
  if (!built?.ok) return { ...base, error: built?.error ?? 'the notification cannot be built' };
  const title = shownText(built.payload.title, PUSH_LIMITS.shownTitle);
  const body = shownText(built.payload.body, PUSH_LIMITS.shownBody);
  const push: PushPreview = {
    ...built.payload,
    shown: { title: title.shown, body: body.shown, cut: title.cut || body.cut },
    octets: Buffer.byteLength(built.json),
    maxOctets: MAX_PAYLOAD_OCTETS,
    ttlSeconds: built.headers.ttlSeconds ?? site.ttlSeconds,
    urgency: built.headers.urgency ?? site.urgency,
    older: compiled.delivery.push === undefined,
  };
  return { ...base, subject: built.payload.title, push };
}

/**
 * The message of one broad log as its recipient got it, with its event's context for a
 * transactional message (the web module's mirror page uses `html`).
 */
export async function previewBroadLog(deps: DeliveryDeps, deliveryId: number, broadLogId: number, now: Date): Promise<Preview | undefined> {
  const log = await findBroadLog(deps.db, broadLogId);
  const d = log && log.deliveryId === deliveryId ? await findDelivery(deps.db, deliveryId) : null;
  if (!log || !d) return undefined;
  const data = log.recipientId === null ? undefined : (await personalizationData(deps.db, [log.recipientId])).get(log.recipientId);
  const event = d.kind === 'transactional' ? (await eventContexts(deps.db, [log.id])).get(log.id) : undefined;
  const { compiled, tracked } = await compileForPreview(deps, d);
  return render(compiled, tracked, messageRecipient(log, data), log, now, event);
}
