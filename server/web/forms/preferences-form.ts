import type { OperatorPreferences } from '../../db/repos/operator-preferences.js';
import { CONSOLE_THEMES, type ConsoleTheme } from '../../shared/glossary.js';
import { canonicalTimeZone } from '../../shared/time-zones/zone-maths.js';
import { text, type FieldErrors, type FormBody } from '../console/forms.js';
import { registeredLanguages } from '../i18n/translate.js';

/** One preference of the form: its field's maximum length, and how a submitted value reads (null: the default). */
interface PreferenceField<K extends keyof OperatorPreferences> {
  max: number;
  read(value: string): { value: OperatorPreferences[K] } | { error: string };
}

/** The preferences the account page offers, as data: a new preference is one more row. */
export const PREFERENCE_FIELDS: { [K in keyof OperatorPreferences]: PreferenceField<K> } = {
  theme: {
    max: 10,
    read: (v) =>
      v === 'auto' ? { value: null } : (CONSOLE_THEMES as readonly string[]).includes(v) ? { value: v as ConsoleTheme } : { error: 'account.error.theme' },
  },
  language: {
    max: 8,
    read: (v) => (v === '' ? { value: null } : registeredLanguages().includes(v) ? { value: v } : { error: 'account.error.language' }),
  },
  timeZone: {
    max: 64,
    read: (v) => {
      if (v === '') return { value: null };
      const zone = canonicalTimeZone(v);
      if (zone === 'UTC') return { value: null };
      return zone ? { value: zone } : { error: 'account.error.time_zone' };
    },
  },
};

/** The zones offered in the time-zone list (the runtime's IANA list). */
export const TIME_ZONE_CHOICES: readonly string[] = Intl.supportedValuesOf('timeZone');

/** Reads the preferences present in a submitted form (pure); fields left out are not changed. */
export function parsePreferencesForm(body: FormBody): { changes: Partial<OperatorPreferences>; errors: FieldErrors } {
  const changes: Record<string, unknown> = {};
  const errors: FieldErrors = {};
  for (const [name, field] of Object.entries(PREFERENCE_FIELDS) as Array<[keyof OperatorPreferences, PreferenceField<keyof OperatorPreferences>]>) {
    if (!(name in body)) continue;
    const read = field.read(text(body, name, field.max));
    if ('error' in read) errors[name] = read.error;
    else changes[name] = read.value;
  }
  return { changes: changes as Partial<OperatorPreferences>, errors };
}
