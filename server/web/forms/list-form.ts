import type { ListValues } from '../../db/repos/lists.js';
import { text, type FieldErrors, type FormBody } from '../console/forms.js';
import { INTERNAL_NAME } from './service-form.js';

/** Reads and checks the list form (pure); errors map fields to message keys. */
export function parseListForm(body: FormBody): { values: ListValues; errors: FieldErrors } {
  const expires = text(body, 'expiresAt', 10);
  const date = /^\d{4}-\d{2}-\d{2}$/.test(expires) ? new Date(`${expires}T00:00:00.000Z`) : null;
  const values: ListValues = {
    name: text(body, 'name', 100),
    label: text(body, 'label'),
    description: text(body, 'description', 2000) || null,
    expiresAt: date && !Number.isNaN(date.getTime()) ? date : null,
  };
  const errors: FieldErrors = {};
  if (!INTERNAL_NAME.test(values.name)) errors.name = 'form.error.internal_name';
  if (!values.label) errors.label = 'form.error.required';
  if (expires !== '' && values.expiresAt === null) errors.expiresAt = 'form.error.date';
  return { values, errors };
}
