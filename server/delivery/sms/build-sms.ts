import type { FailureReason } from '../../shared/glossary.js';
import { isE164 } from '../../shared/phone-number.js';
import type { CompiledDelivery } from '../compile-delivery.js';
import { partText, renderInput, systemLinks, type BuildFailure, type MessageItem } from '../build-message.js';
import { smsLayout, smsSegments, type SmsLayout, type SmsSegment } from './segments.js';

/**
 * buildSmsMessages(compiledDelivery, items, now): the SMS of each broad log row of a batch — the
 * delivery's text part personalized (one render call for the batch, as for email), its links
 * rewritten to signed tracking links (`<tracking URL>/r/<token>`, short and counted as clicks),
 * then laid out in GSM-7 or UCS-2 segments. Pure; a personalization error fails its message only.
 */

export type BuiltSms = { ok: true; text: string; layout: SmsLayout; segments: SmsSegment[] };

export function buildSmsMessages(c: CompiledDelivery, items: readonly MessageItem[], options: { checkNumber?: boolean } = {}): Array<BuiltSms | BuildFailure> {
  const check = options.checkNumber ?? true;
  const results: Array<BuiltSms | BuildFailure | undefined> = items.map(({ log }) =>
    !check || isE164(log.address)
      ? undefined
      : { ok: false, reason: 'invalid_address' as FailureReason, error: `"${log.address}" is not a mobile number in E.164 form` },
  );
  const todo = items.flatMap((item, i) => (results[i] ? [] : [{ i, item, ids: { deliveryId: c.delivery.id, broadLogId: item.log.id } }]));
  const rendered = c.renderer.renderMany(
    todo.map((t) => renderInput(c, t.item.recipient, t.item.log, systemLinks(c, t.item.recipient, t.ids).links, t.item.event)),
    c.identity.renderBudgetMs,
  );
  todo.forEach((t, k) => {
    const r = rendered[k]!;
    if (!r.ok) {
      results[t.i] = { ok: false, reason: 'unreachable', error: r.error };
      return;
    }
    const text = c.parts.text === -1 ? '' : partText(c, r.output, c.parts.text, t.ids).trim();
    if (!text) {
      results[t.i] = { ok: false, reason: 'unreachable', error: 'the personalized text is empty' };
      return;
    }
    try {
      results[t.i] = { ok: true, text, layout: smsLayout(text), segments: smsSegments(text, t.item.log.id & 0xff) };
    } catch (err) {
      results[t.i] = { ok: false, reason: 'unreachable', error: (err as Error).message };
    }
  });
  return results as Array<BuiltSms | BuildFailure>;
}
