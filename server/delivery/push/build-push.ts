import type { CompiledDelivery } from '../compile-delivery.js';
import { partText, renderInput, systemLinks, type BuildFailure, type MessageItem } from '../build-message.js';
import type { PushUrgency } from './push-content.js';

/**
 * buildPushMessages(compiledDelivery, items): the notification of each broad log row of a batch,
 * personalized in one render call for the batch (as for email and SMS), links rewritten to signed
 * tracking links. A delivery with push fields (push-content.ts): the title is the subject part,
 * the text part holds the body then, on its last line, the page opened; icon, image, TTL and
 * urgency are the delivery's. One written before push fields: the subject is the title, the text
 * part the body, its first link the page. Pure; a personalization error fails its message only.
 * The payload is JSON, at most 3,000 octets (push services accept 4,096 once encrypted).
 */

export interface PushPayload {
  title: string;
  body: string;
  url: string | null;
  icon?: string;
  image?: string;
}

/** RFC 8030 headers of this delivery; a missing one is `[push]`'s. */
export interface PushHeaders {
  ttlSeconds?: number;
  urgency?: PushUrgency;
}

export type BuiltPush = { ok: true; payload: PushPayload; json: string; headers: PushHeaders };

export const MAX_PAYLOAD_OCTETS = 3000;

const FIRST_LINK = /\bhttps?:\/\/[^\s<>"']+/;

/** Body and page of a rendered text part. */
function bodyAndUrl(text: string, hasUrl: boolean | undefined): { body: string; url: string | null } {
  if (hasUrl === undefined) return { body: text.trim(), url: FIRST_LINK.exec(text)?.[0] ?? null };
  if (!hasUrl) return { body: text.trim(), url: null };
  const cut = text.lastIndexOf('\n');
  return { body: text.slice(0, Math.max(0, cut)).trim(), url: text.slice(cut + 1).trim() || null };
}

export function buildPushMessages(c: CompiledDelivery, items: readonly MessageItem[]): Array<BuiltPush | BuildFailure> {
  const push = c.delivery.push;
  const headers: PushHeaders = {
    ...(push?.ttlSeconds != null ? { ttlSeconds: push.ttlSeconds } : {}),
    ...(push?.urgency ? { urgency: push.urgency } : {}),
  };
  const todo = items.map((item) => ({ item, ids: { deliveryId: c.delivery.id, broadLogId: item.log.id } }));
  const rendered = c.renderer.renderMany(
    todo.map((t) => renderInput(c, t.item.recipient, t.item.log, systemLinks(c, t.item.recipient, t.ids).links, t.item.event)),
    c.identity.renderBudgetMs,
  );
  return todo.map((t, k): BuiltPush | BuildFailure => {
    const r = rendered[k]!;
    if (!r.ok) return { ok: false, reason: 'unreachable', error: r.error };
    const title = c.parts.subject === -1 ? '' : (r.output.parts[c.parts.subject] as string).trim();
    const text = c.parts.text === -1 ? '' : partText(c, r.output, c.parts.text, t.ids);
    const { body, url } = bodyAndUrl(text, push?.hasUrl);
    if (!title && !body) return { ok: false, reason: 'unreachable', error: 'the personalized notification is empty' };
    const payload: PushPayload = { title, body, url, ...(push?.icon ? { icon: push.icon } : {}), ...(push?.image ? { image: push.image } : {}) };
    const json = JSON.stringify(payload);
    if (Buffer.byteLength(json) > MAX_PAYLOAD_OCTETS)
      return {
        ok: false,
        reason: 'unreachable',
        error: `the notification takes ${Buffer.byteLength(json)} octets; push services accept about ${MAX_PAYLOAD_OCTETS}`,
      };
    return { ok: true, payload, json, headers };
  });
}
