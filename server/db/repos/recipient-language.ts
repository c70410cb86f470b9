import type { Database } from '../connect.js';

/** A recipient's language (public pages and system mails speak it), or null when unknown. */
export async function recipientLanguage(db: Database, recipientId: number): Promise<string | null> {
  const row = await db.models.Recipient.findByPk(recipientId, { attributes: ['language'] });
  return row?.language ?? null;
}
