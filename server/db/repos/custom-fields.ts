import { isCustomField } from '../filters/recipient-condition.js';
import type { Database } from '../connect.js';
import { isUniqueViolation } from '../errors.js';

/**
 * The custom field names recipients have had, for the filter picker: registered after every write
 * of recipients' fields (import, API, console), in a short write of its own; a name another process
 * registered meanwhile is simply there already. A name that is not a valid custom field name
 * (`fields.<name>` in conditions) is not offered.
 */

export async function registerCustomFields(db: Database, names: Iterable<string>, now = new Date()): Promise<void> {
  const wanted = [...new Set(names)].filter((n) => isCustomField(`fields.${n}`));
  if (wanted.length === 0) return;
  const { CustomField } = db.models;
  const known = new Set((await CustomField.findAll({ attributes: ['name'], where: { name: wanted }, raw: true })).map((r) => r.name));
  for (const name of wanted.filter((n) => !known.has(n))) {
    try {
      await db.write((transaction) => CustomField.bulkCreate([{ name, createdAt: now }], { transaction }));
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
  }
}

/** Every registered custom field name, sorted. */
export async function customFieldNames(db: Database): Promise<string[]> {
  const rows = await db.models.CustomField.findAll({ attributes: ['name'], order: [['name', 'ASC']], raw: true });
  return rows.map((r) => r.name);
}
