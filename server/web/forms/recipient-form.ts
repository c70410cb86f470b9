import type { RecipientChanges } from '../../db/repos/recipient-details.js';
import { MAX_CUSTOM_FIELD_LENGTH } from '../../recipients/csv-columns.js';
import { addressProblem } from '../../shared/email-address.js';
import { isLanguage } from '../../shared/glossary.js';
import { isCountryCode } from '../../shared/time-zones/country-zones.js';
import { canonicalTimeZone } from '../../shared/time-zones/zone-maths.js';
import { checked, text, type FieldErrors, type FormBody } from '../console/forms.js';

const CUSTOM_FIELD = /^[a-z][a-z0-9_]{0,63}$/;
const MAX_CUSTOM_FIELDS = 100;

/**
 * Reads and checks the recipient form (pure): the address with the import's own rule
 * (addressProblem), custom fields as `field.<name>` inputs plus one new name/value pair; an empty
 * value removes a custom field.
 */
export function parseRecipientForm(body: FormBody): { values: RecipientChanges; errors: FieldErrors; emailProblem?: string } {
  const fields: Record<string, string> = {};
  for (const key of Object.keys(body).slice(0, 500)) {
    const name = key.startsWith('field.') ? key.slice(6) : '';
    const value = text(body, key, MAX_CUSTOM_FIELD_LENGTH);
    if (CUSTOM_FIELD.test(name) && value !== '' && Object.keys(fields).length < MAX_CUSTOM_FIELDS) fields[name] = value;
  }
  const errors: FieldErrors = {};
  const newName = text(body, 'newFieldName', 64).toLowerCase();
  const newValue = text(body, 'newFieldValue', MAX_CUSTOM_FIELD_LENGTH);
  if (newName !== '' && !CUSTOM_FIELD.test(newName)) errors.newFieldName = 'recipients.error.field_name';
  else if (newName !== '' && newValue !== '') fields[newName] = newValue;
  const values: RecipientChanges = {
    email: text(body, 'email', 400).toLowerCase(),
    firstName: text(body, 'firstName') || null,
    lastName: text(body, 'lastName') || null,
    emailFormat: text(body, 'emailFormat', 8) === 'text' ? 'text' : 'html',
    denylisted: checked(body, 'denylisted'),
    denylistedEmail: checked(body, 'denylistedEmail'),
    fields: Object.keys(fields).length > 0 ? fields : null,
    timeZone: null,
    country: text(body, 'country', 2).toUpperCase() || null,
    language: text(body, 'language', 8).toLowerCase() || null,
  };
  const zone = text(body, 'timeZone', 64);
  if (zone !== '') {
    values.timeZone = canonicalTimeZone(zone) ?? zone;
    if (!canonicalTimeZone(zone)) errors.timeZone = 'recipients.error.time_zone';
  }
  if (values.country !== null && !isCountryCode(values.country)) errors.country = 'recipients.error.country';
  if (values.language !== null && !isLanguage(values.language)) errors.language = 'recipients.error.language';
  const emailProblem = addressProblem(values.email);
  if (emailProblem) errors.email = 'recipients.error.email';
  return { values, errors, emailProblem };
}
