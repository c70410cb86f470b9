import { buildMessages, type MessageItem, type MessageRecipient } from '../../server/delivery/build-message.js';
import type { CompiledDelivery } from '../../server/delivery/compile-delivery.js';
import type { ContentOwner, MessageContent } from '../../server/delivery/message-content.js';
import type { DkimKey } from '../../server/delivery/mime/dkim.js';
import { defaultBlocks } from '../../server/delivery/source/default-blocks.js';
import { builtinTemplates } from '../../server/delivery/source/gallery.js';
import { renderSource } from '../../server/delivery/source/render-source.js';
import { compile, content } from './delivery.js';

/**
 * Every gallery template (MJML compiled once with the default blocks, text part generated) plus
 * an HTML-only and a text-only variant, built for recipients chosen to stress the body encoding:
 * names of every length (a value ends at every column of a quoted-printable line), spaces and tabs
 * at the edges of values, line breaks, non-ASCII, HTML specials, reserved marker characters.
 */

export const RENDER_NOW = new Date('2026-03-01T10:00:00Z');

const NAMES: Array<[string | null, string | null]> = [
  ['Ann', 'Lee'],
  [null, null],
  ['', ''],
  ['Jo  ', ' Smith '],
  ['\tTab', 'end\t'],
  ['Zoë', 'Ślęzak'],
  ['🎉 Party', '山田'],
  ['<b>Bold</b> & "q"', "O'Brien"],
  ['line\r\nbreak', 'cr\ronly\n'],
  ['lone \uD800 surrogate', 'marker\uE002\uE00F'],
  ['=?UTF-8?B?x?=', '=3D'],
  ...Array.from({ length: 80 }, (_, k): [string, string] => ['x'.repeat(k), k % 7 === 0 ? `${'y'.repeat(k)} ` : 'Z']),
];

export function renderRecipients(): MessageItem[] {
  return NAMES.map(([firstName, lastName], i) => {
    const recipient: MessageRecipient = {
      id: 1000 + i,
      email: `user${i}@example${i % 5}.org`,
      firstName,
      lastName,
      emailFormat: i % 9 === 4 ? 'text' : 'html',
      fields: { plan: i % 3 ? 'basic' : 'gold', tags: 'news,spring, garden ', city: `City ${firstName ?? ''}` },
    };
    return { recipient, log: { id: 5000 + i, address: recipient.email, emailFormat: recipient.emailFormat } };
  });
}

/** The hand-written content of `bench render` (conditions, a loop, personalized tracked links). */
const HAND_WRITTEN: Partial<MessageContent & ContentOwner> = {
  subject: 'Spring news for <%= recipient.firstName %>',
  html: `<!doctype html><html><head><meta charset="utf-8"><title>Spring news</title></head><body>
<p><a href="<%= links.mirror %>">View this email in your browser</a></p>
<h1>Hello <%= recipient.firstName %> <%= recipient.lastName %>,</h1>
<% if (recipient.fields.plan === 'gold') { %><p>As a gold member you get 20% off everything.</p><% } else { %><p>Upgrade to gold for 20% off.</p><% } %>
<ul><% for (const tag of (recipient.fields.tags || '').split(',')) { %><li><%= tag %></li><% } %></ul>
<a href="https://shop.example.com/offer?customer=<%= recipient.id %>&amp;plan=<%= recipient.fields.plan %>">Your offer</a>
<p>${'Fresh arrivals for the new season, chosen by our team with care. '.repeat(6)}<%= recipient.firstName %>   </p>
<p>You receive this because you subscribed with <%= recipient.email %>. <a href="<%= links.unsubscribe %>">Unsubscribe</a></p></body></html>`,
  text: `Hello <%= recipient.firstName %>,
<% if (recipient.fields.plan === 'gold') { %>As a gold member you get 20% off everything.
<% } %>Your offer: https://shop.example.com/offer?customer=<%= recipient.id %>&plan=<%= recipient.fields.plan %>
Read online: <%= links.mirror %>
Unsubscribe: <%= links.unsubscribe %>


`,
};

export interface RenderCase {
  name: string;
  content: MessageContent & ContentOwner;
}

export async function renderCases(): Promise<RenderCase[]> {
  const cases: RenderCase[] = [{ name: 'hand-written', content: content(HAND_WRITTEN) }];
  for (const t of builtinTemplates()) {
    const base = content({ subject: t.subject, html: t.source, text: t.text, format: t.format } as Partial<MessageContent & ContentOwner>);
    const rendered = await renderSource(base, defaultBlocks());
    const errors = rendered.issues.filter((i) => i.level === 'error');
    if (errors.length) throw new Error(`${t.name}: ${errors.map((e) => e.message).join('; ')}`);
    cases.push({ name: t.name, content: { ...base, ...rendered.content } });
  }
  const newsletter = cases.find((c) => c.name === 'newsletter')!.content;
  cases.push({ name: 'newsletter html only', content: { ...newsletter, text: null } });
  cases.push({ name: 'newsletter text only', content: { ...newsletter, html: null } });
  return cases;
}

/** The raw messages of a case, in recipient order (a failure is returned as its error text). */
export function buildCase(c: RenderCase, dkim: readonly DkimKey[] = []): { compiled: CompiledDelivery; raws: Array<Buffer | string> } {
  const compiled = compile(c.content, dkim);
  const raws = buildMessages(compiled, renderRecipients(), RENDER_NOW).map((m) => (m.ok ? m.raw : m.error));
  return { compiled, raws };
}
