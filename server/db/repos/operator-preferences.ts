import type { ConsoleTheme } from '../../shared/glossary.js';
import type { Database } from '../connect.js';

/**
 * An operator's own settings of the console, in one place: each is a column of the operator's row,
 * null meaning "Herald's default". A new preference is one more field
 * here, one more column, and one more row of the preferences form's table.
 */
export interface OperatorPreferences {
  /** `light` or `dark`; null: as the browser is set. */
  theme: ConsoleTheme | null;
  /** IANA zone the console shows dates in; null: UTC. */
  timeZone: string | null;
  /** Language of the console (a registered catalogue's code); null: `languages.default`. */
  language: string | null;
}

export const PREFERENCE_DEFAULTS: OperatorPreferences = { theme: null, timeZone: null, language: null };

export async function operatorPreferences(db: Database, id: number): Promise<OperatorPreferences | undefined> {
  const { Operator } = db.models;
  const row = await Operator.findByPk(id, { attributes: ['theme', 'timeZone', 'language'] });
  return row ? { theme: row.theme ?? null, timeZone: row.timeZone ?? null, language: row.language ?? null } : undefined;
}

/** Stores the preferences given (the others stay as they are). */
export async function saveOperatorPreferences(db: Database, id: number, changes: Partial<OperatorPreferences>): Promise<void> {
  const { Operator } = db.models;
  if (Object.keys(changes).length === 0) return;
  await db.write((transaction) => Operator.update(changes, { where: { id }, transaction }));
}
