import { chunks } from '../chunks.js';
import type { Database } from '../connect.js';
import { registerCustomFields } from './custom-fields.js';

/**
 * What the Deduplication and Enrichment activities read and write of a population's recipients:
 * their email or a custom field (to tell duplicates apart), and one custom field filled from
 * outside data, in short write transactions of one id chunk each.
 */

/** Each recipient's value of `by`: its email, or a custom field (null when it has none). Order kept. */
export async function recipientValues(db: Database, ids: readonly number[], by: 'email' | { field: string }): Promise<Map<number, string | null>> {
  const { Recipient } = db.models;
  const found = new Map<number, string | null>();
  for (const chunk of chunks(ids)) {
    const rows = await Recipient.findAll({ attributes: ['id', 'email', 'fields'], where: { id: chunk } });
    for (const r of rows) {
      const value = by === 'email' ? r.email : r.fields?.[by.field];
      found.set(Number(r.id), value === undefined || value === null || value === '' ? null : String(value));
    }
  }
  return new Map(ids.filter((id) => found.has(id)).map((id) => [id, found.get(id)!]));
}

/**
 * Sets custom field `field` of the recipients among `ids` whose email (any case) has a value in
 * `byEmail`; a value the recipient already has is kept unless `overwrite`. Returns how many changed.
 */
export async function fillCustomField(
  db: Database,
  input: { ids: readonly number[]; byEmail: ReadonlyMap<string, string>; field: string; overwrite: boolean; now: Date },
): Promise<number> {
  const { Recipient } = db.models;
  let changed = 0;
  for (const chunk of chunks(input.ids)) {
    changed += await db.write(async (transaction) => {
      let n = 0;
      const rows = await Recipient.findAll({ attributes: ['id', 'email', 'fields'], where: { id: chunk }, transaction });
      for (const r of rows) {
        const value = input.byEmail.get(r.email.toLowerCase());
        const current = r.fields ?? {};
        if (value === undefined || current[input.field] === value || (!input.overwrite && current[input.field] !== undefined)) continue;
        await Recipient.update({ fields: { ...current, [input.field]: value }, updatedAt: input.now }, { where: { id: r.id }, transaction });
        n++;
      }
      return n;
    });
  }
  if (changed) await registerCustomFields(db, [input.field], input.now);
  return changed;
}

/** The ids of the (not erased) recipients with these addresses, by address as given. */
export async function recipientIdsByEmail(db: Database, emails: readonly string[]): Promise<Map<string, number>> {
  const { Recipient } = db.models;
  const found = new Map<string, number>();
  for (const chunk of chunks([...new Set(emails)])) {
    const rows = await Recipient.findAll({ attributes: ['id', 'email'], where: { email: chunk, erasedAt: null }, raw: true });
    for (const r of rows) found.set(r.email, Number(r.id));
  }
  return found;
}
