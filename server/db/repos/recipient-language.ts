import type { Database } from '../connect.js';

/** A recipient's language (public pages and system mails speak it), or null when unknown. */
export async function recipientLanguage(db: Database, recipientId: number): Promise<string | null> {
  const row = await db.models.Recipient.findByPk(recipientId, { attributes: ['language'] });
  return row?.language ?? null;
}

/** The language of the live (not erased) recipient with this address, if any has one. */
export async function recipientLanguageByEmail(db: Database, email: string): Promise<string | null> {
  const row = await db.models.Recipient.findOne({ where: { email, erasedAt: null }, attributes: ['language'] });
  return row?.language ?? null;
}
