import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { buildMessages, type MessageItem, type MessageRecipient } from '../../server/delivery/build-message.js';
import { compileDelivery, type CompiledDelivery, type SendingIdentity } from '../../server/delivery/compile-delivery.js';
import { contentPlan, type ContentOwner, type MessageContent } from '../../server/delivery/message-content.js';
import { trackingRowsFor } from '../../server/delivery/delivery-content.js';
import type { DkimKey } from '../../server/delivery/mime/dkim.js';
import { defaultBlocks } from '../../server/delivery/source/default-blocks.js';
import { builtinTemplates } from '../../server/delivery/source/gallery.js';
import { renderSource } from '../../server/delivery/source/render-source.js';

/**
 * `bench render --messages N`: personalize and build N complete MIME messages in memory (no
 * database, no network), first without DKIM, then signed with an RSA-2048 key. The content is a
 * typical newsletter: ~12 KB of HTML with conditions, a loop, 8 tracked links (2 personalized),
 * the open pixel, a mirror link and a text part. With `--template <name>`, the content is that
 * template of the gallery (e.g. the MJML newsletter) with Herald's default blocks, compiled once
 * as the analysis does (its compile time goes to stderr), then built per message like any HTML.
 */

const ARTICLES = Array.from(
  { length: 6 },
  (_, i) => `<tr><td style="padding:16px;font-family:Arial,sans-serif"><h2 style="margin:0 0 8px">Article ${i + 1}: spring collection</h2>
<p style="margin:0 0 12px;color:#333">${'Fresh arrivals for the new season, chosen by our team with care and delivered to your door. '.repeat(8)}</p>
<a href="https://shop.example.com/articles/${i + 1}?utm_source=newsletter&amp;utm_medium=email" style="color:#0a58ca">Read more</a></td></tr>`,
).join('\n');

const HTML = `<!doctype html><html><head><meta charset="utf-8"><title>Spring news</title></head><body style="margin:0;background:#f4f4f4">
<table width="100%" cellpadding="0" cellspacing="0"><tr><td align="center"><table width="600" style="background:#fff">
<tr><td style="padding:16px"><a href="<%= links.mirror %>">View this email in your browser</a></td></tr>
<tr><td style="padding:16px"><h1>Hello <%= recipient.firstName %> <%= recipient.lastName %>,</h1>
<% if (recipient.fields.plan === 'gold') { %><p>As a gold member you get 20% off everything.</p><% } else { %><p>Upgrade to gold for 20% off.</p><% } %>
<ul><% for (const tag of (recipient.fields.tags || '').split(',')) { %><li><%= tag %></li><% } %></ul>
<a href="https://shop.example.com/offer?customer=<%= recipient.id %>&amp;plan=<%= recipient.fields.plan %>">Your offer</a></td></tr>
${ARTICLES}
<tr><td style="padding:16px;font-size:12px;color:#777">You receive this because you subscribed with <%= recipient.email %>.
<a href="<%= links.unsubscribe %>">Unsubscribe</a></td></tr></table></td></tr></table></body></html>`;

const TEXT = `Hello <%= recipient.firstName %>,
<% if (recipient.fields.plan === 'gold') { %>As a gold member you get 20% off everything.
<% } %>Your offer: https://shop.example.com/offer?customer=<%= recipient.id %>&plan=<%= recipient.fields.plan %>
Read online: <%= links.mirror %>
Unsubscribe: <%= links.unsubscribe %>
`;

const CONTENT: MessageContent & ContentOwner = {
  id: 42,
  internalName: 'spring',
  label: 'Spring news',
  kind: 'marketing',
  marketing: true,
  subject: 'Spring news for <%= recipient.firstName %>',
  fromName: 'Example Shop',
  fromAddress: 'news@shop.example.com',
  replyTo: 'care@shop.example.com',
  html: HTML,
  text: TEXT,
  headers: {},
  serviceId: 3,
  trackingEnabled: true,
  openTracking: true,
};

const IDENTITY: SendingIdentity = {
  trackingKey: randomBytes(32).toString('base64'),
  bounceKey: randomBytes(32).toString('base64'),
  trackingUrl: 'https://t.shop.example.com',
  webUrl: 'https://www.shop.example.com',
  bounceDomain: 'bounce.shop.example.com',
  verpPrefix: 'bounce',
  messageIdDomain: 'shop.example.com',
  renderBudgetMs: 2000,
};

/** The gallery template compiled once (blocks included, MJML to HTML, text part generated). */
async function galleryContent(name: string): Promise<MessageContent & ContentOwner> {
  const template = builtinTemplates().find((t) => t.name === name);
  if (!template)
    throw new Error(
      `no gallery template "${name}" (${builtinTemplates()
        .map((t) => t.name)
        .join(', ')})`,
    );
  const started = process.hrtime.bigint();
  const rendered = await renderSource(
    { ...CONTENT, subject: template.subject, format: template.format, html: template.source, text: template.text },
    defaultBlocks(),
  );
  const errors = rendered.issues.filter((i) => i.level === 'error');
  if (errors.length) throw new Error(`the template "${name}" does not compile: ${errors.map((i) => i.message).join('; ')}`);
  process.stderr.write(`compiled "${name}" once in ${Number(process.hrtime.bigint() - started) / 1e6} ms\n`);
  return { ...CONTENT, ...rendered.content };
}

function compile(content: MessageContent & ContentOwner, dkim: DkimKey[]): CompiledDelivery {
  const urls = trackingRowsFor(contentPlan(content, 'tracked')).map((u, i) => ({ ...u, id: i + 1 }));
  return compileDelivery({ delivery: content, urls, identity: IDENTITY, dkim, list: { name: 'newsletter', label: 'Example Shop news' } });
}

function recipient(i: number): MessageRecipient {
  return {
    id: i,
    email: `user${i}@example${i % 50}.com`,
    firstName: `First${i}`,
    lastName: `Last${i}`,
    emailFormat: 'html',
    fields: { plan: i % 3 ? 'basic' : 'gold', tags: 'news,spring,garden' },
  };
}

/**
 * Builds in batches of 100, as the MTA does with the broad logs it claims. Reports messages per
 * second of wall time and per second of this process's CPU time (the difference shows how much
 * other work shared the machine).
 */
function run(compiled: CompiledDelivery, messages: number): { perS: number; perCpuS: number; bytes: number } {
  const now = new Date();
  let bytes = 0;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (let first = 1; first <= messages; first += 100) {
    const batch: MessageItem[] = [];
    for (let i = first; i < first + 100 && i <= messages; i++) {
      const r = recipient(i);
      batch.push({ recipient: r, log: { id: i, address: r.email, emailFormat: r.emailFormat } });
    }
    for (const built of buildMessages(compiled, batch, now)) {
      if (!built.ok) throw new Error(built.error);
      bytes += built.raw.length;
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  return { perS: Math.round(messages / seconds), perCpuS: Math.round(messages / ((used.user + used.system) / 1e6)), bytes: Math.round(bytes / messages) };
}

export async function benchRender(options: { messages: number; template?: string }): Promise<Record<string, number>> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const content = options.template ? await galleryContent(options.template) : CONTENT;
  const plain = run(compile(content, []), options.messages);
  const signed = run(compile(content, [{ domain: 'shop.example.com', selector: 'bench', algorithm: 'rsa-sha256', privateKey }]), options.messages);
  return {
    messages: options.messages,
    per_s: plain.perS,
    per_s_dkim: signed.perS,
    per_cpu_s: plain.perCpuS,
    per_cpu_s_dkim: signed.perCpuS,
    message_bytes: signed.bytes,
  };
}
