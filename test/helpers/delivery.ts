import { generateKeyPairSync } from 'node:crypto';
import type { MessageRecipient } from '../../server/delivery/build-message.js';
import { compileDelivery, type CompiledDelivery, type SendingIdentity } from '../../server/delivery/compile-delivery.js';
import { contentPlan, type ContentOwner, type MessageContent } from '../../server/delivery/message-content.js';
import { trackingRowsFor } from '../../server/delivery/delivery-content.js';
import { dkimDnsRecord } from '../../server/delivery/dkim-keys.js';
import type { DkimKey } from '../../server/delivery/mime/dkim.js';

/** Deliveries, recipients and DKIM keys for tests of the delivery core (no database). */

export const IDENTITY: SendingIdentity = {
  trackingKey: 'tracking-key-'.padEnd(43, 't'),
  bounceKey: 'bounce-key-'.padEnd(43, 'b'),
  trackingUrl: 'https://t.example.com',
  webUrl: 'https://www.example.com',
  bounceDomain: 'bounce.example.com',
  verpPrefix: 'bounce',
  messageIdDomain: 'example.com',
  renderBudgetMs: 1000,
};

export function content(overrides: Partial<MessageContent & ContentOwner> = {}): MessageContent & ContentOwner {
  return {
    id: 7,
    internalName: 'spring',
    label: 'Spring news',
    kind: 'marketing',
    marketing: true,
    subject: 'Hello <%= recipient.firstName %>',
    fromName: 'Example Shop',
    fromAddress: 'news@example.com',
    replyTo: null,
    html: '<html><body><p>Hi <%= recipient.firstName %></p><a href="<%= links.unsubscribe %>">Unsubscribe</a></body></html>',
    text: 'Hi <%= recipient.firstName %>\nUnsubscribe: <%= links.unsubscribe %>\n',
    headers: {},
    serviceId: 3,
    trackingEnabled: true,
    openTracking: true,
    ...overrides,
  };
}

/** Compiles with tracking URL rows numbered from 100, as an analysis would have stored them. */
export function compile(c: MessageContent & ContentOwner, dkim: readonly DkimKey[] = [], identity: SendingIdentity = IDENTITY): CompiledDelivery {
  const urls = trackingRowsFor(contentPlan(c, 'tracked')).map((u, i) => ({ ...u, id: 100 + i }));
  return compileDelivery({ delivery: c, urls, identity, dkim, list: { name: 'newsletter', label: 'Example news' } });
}

export function recipient(overrides: Partial<MessageRecipient> = {}): MessageRecipient {
  return { id: 42, email: 'ann@example.org', firstName: 'Ann', lastName: 'Lee', emailFormat: 'html', fields: { city: 'Paris' }, ...overrides };
}

export const log = (id = 9001, address = 'ann@example.org', emailFormat: 'html' | 'text' = 'html') => ({ id, address, emailFormat });

let keys: DkimKey[] | undefined;

/** An RSA-2048 and an Ed25519 key for example.com (generated once per test run). */
export function dkimKeys(): DkimKey[] {
  keys ??= [
    { domain: 'example.com', selector: 'rsa2026', algorithm: 'rsa-sha256', privateKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey },
    { domain: 'example.com', selector: 'ed2026', algorithm: 'ed25519-sha256', privateKey: generateKeyPairSync('ed25519').privateKey },
  ];
  return keys;
}

/** A DNS resolver for mailauth that knows only the TXT records of `dkimKeys()` (no network). */
export function offlineResolver(published: readonly DkimKey[] = dkimKeys()) {
  const records = new Map(published.map((k) => [dkimDnsRecord(k).name, dkimDnsRecord(k).value]));
  return async (name: string, type: string): Promise<string[][]> => {
    const record = type === 'TXT' ? records.get(name) : undefined;
    if (record) return [[record]];
    throw Object.assign(new Error(`no ${type} record for ${name}`), { code: 'ENOTFOUND' });
  };
}
