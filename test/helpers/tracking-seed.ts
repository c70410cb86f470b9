import type { Database } from '../../server/db/connect.js';
import type { BroadLogStatus, EmailFormat, TrackingUrlType } from '../../server/shared/glossary.js';

/** A delivery seeded straight into the database: its tracking URLs and one broad log per message. */
export interface SeededDelivery {
  deliveryId: number;
  /** URL ids by label. */
  urls: Record<string, number>;
  /** Broad log ids, in the order of the messages given. */
  messages: number[];
}

export interface SeedOptions {
  urls: Array<{ label: string; type: TrackingUrlType; url: string }>;
  messages: Array<{ format: EmailFormat; status?: BroadLogStatus; sentAt?: Date }>;
  webValidityEnd?: Date | null;
}

let counter = 0;

export async function seedDelivery(db: Database, options: SeedOptions): Promise<SeededDelivery> {
  return db.write(async (transaction) => {
    const n = ++counter;
    const delivery = await db.models.Delivery.create(
      { internalName: `DM${n}`, label: `Delivery ${n}`, analysedAt: new Date(), webValidityEnd: options.webValidityEnd ?? null, state: 'in_progress' },
      { transaction },
    );
    const urls: Record<string, number> = {};
    for (const u of options.urls)
      urls[u.label] = (await db.models.TrackingUrl.create({ deliveryId: delivery.id, type: u.type, url: u.url, label: u.label }, { transaction })).id;
    const messages: number[] = [];
    for (const [i, m] of options.messages.entries()) {
      const recipient = await db.models.Recipient.create(
        { email: `r${n}-${i}@example.com`, firstName: null, lastName: null, emailFormat: m.format },
        { transaction },
      );
      const status = m.status ?? 'sent';
      const log = await db.models.BroadLog.create(
        {
          deliveryId: delivery.id,
          recipientId: recipient.id,
          address: recipient.email,
          emailFormat: m.format,
          status,
          sentAt: status === 'sent' ? (m.sentAt ?? new Date('2026-03-02T09:00:00Z')) : null,
        },
        { transaction },
      );
      messages.push(log.id);
    }
    return { deliveryId: delivery.id, urls, messages };
  });
}

/** The usual URLs of a marketing message. */
export const STANDARD_URLS: SeedOptions['urls'] = [
  { label: 'open', type: 'open', url: '' },
  { label: 'shop', type: 'click', url: 'https://shop.example.com/p?id={p1}' },
  { label: 'blog', type: 'click', url: 'https://blog.example.com/post' },
  { label: 'unsubscribe', type: 'opt_out', url: 'https://www.example.com/unsubscribe' },
  { label: 'mirror', type: 'mirror', url: 'https://www.example.com/m' },
];
