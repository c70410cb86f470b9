import type { CompiledDelivery } from '../compile-delivery.js';
import { partText, renderInput, systemLinks, type BuildFailure, type MessageItem } from '../build-message.js';

/**
 * buildPushMessages(compiledDelivery, items): the notification of each broad log row of a batch —
 * the delivery's subject as its title and its text part as its body, both personalized (one render
 * call for the batch, as for email and SMS), links rewritten to signed tracking links; the first
 * link of the text is the page the notification opens (`url`). Pure; a personalization error
 * fails its message only. The payload is JSON, at most 3,000 octets (push services accept 4,096
 * once encrypted).
 */

export interface PushPayload {
  title: string;
  body: string;
  url: string | null;
}

export type BuiltPush = { ok: true; payload: PushPayload; json: string };

export const MAX_PAYLOAD_OCTETS = 3000;

const FIRST_LINK = /\bhttps?:\/\/[^\s<>"']+/;

export function buildPushMessages(c: CompiledDelivery, items: readonly MessageItem[]): Array<BuiltPush | BuildFailure> {
  const todo = items.map((item) => ({ item, ids: { deliveryId: c.delivery.id, broadLogId: item.log.id } }));
  const rendered = c.renderer.renderMany(
    todo.map((t) => renderInput(c, t.item.recipient, t.item.log, systemLinks(c, t.item.recipient, t.ids).links, t.item.event)),
    c.identity.renderBudgetMs,
  );
  return todo.map((t, k): BuiltPush | BuildFailure => {
    const r = rendered[k]!;
    if (!r.ok) return { ok: false, reason: 'unreachable', error: r.error };
    const title = c.parts.subject === -1 ? '' : (r.output.parts[c.parts.subject] as string).trim();
    const body = c.parts.text === -1 ? '' : partText(c, r.output, c.parts.text, t.ids).trim();
    if (!title && !body) return { ok: false, reason: 'unreachable', error: 'the personalized notification is empty' };
    const payload: PushPayload = { title, body, url: FIRST_LINK.exec(body)?.[0] ?? null };
    const json = JSON.stringify(payload);
    if (Buffer.byteLength(json) > MAX_PAYLOAD_OCTETS)
      return {
        ok: false,
        reason: 'unreachable',
        error: `the notification takes ${Buffer.byteLength(json)} octets; push services accept about ${MAX_PAYLOAD_OCTETS}`,
      };
    return { ok: true, payload, json };
  });
}
