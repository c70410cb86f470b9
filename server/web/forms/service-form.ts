import type { ServiceValues } from '../../db/repos/services.js';
import { checked, text, type FieldErrors, type FormBody } from '../console/forms.js';

/** Internal names of services and lists: letters, digits, "_" and "-", starting with a letter or digit. */
export const INTERNAL_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

/** Reads and checks the service form (pure); errors map fields to message keys. */
export function parseServiceForm(body: FormBody): { values: ServiceValues; errors: FieldErrors } {
  const validity = text(body, 'validityDays', 10);
  const values: ServiceValues = {
    name: text(body, 'name', 100),
    label: text(body, 'label'),
    description: text(body, 'description', 2000) || null,
    doubleOptIn: checked(body, 'doubleOptIn'),
    validityDays: /^\d{1,5}$/.test(validity) && Number(validity) > 0 ? Number(validity) : null,
  };
  const errors: FieldErrors = {};
  if (!INTERNAL_NAME.test(values.name)) errors.name = 'form.error.internal_name';
  if (!values.label) errors.label = 'form.error.required';
  if (validity !== '' && values.validityDays === null) errors.validityDays = 'services.error.validity';
  return { values, errors };
}
