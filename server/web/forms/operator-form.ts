import type { NamedRight } from '../../shared/glossary.js';
import { knownRights, LOGIN_PATTERN } from '../../shared/operator-rules.js';
import { addressProblem } from '../../shared/email-address.js';
import { many, text, checked, type FieldErrors, type FormBody } from '../console/forms.js';
import { registeredLanguages } from '../i18n/translate.js';

export interface OperatorForm {
  login: string;
  name: string | null;
  email: string | null;
  rights: NamedRight[];
  disabled: boolean;
  /** Console language (a registered catalogue); null: `languages.default`. */
  language: string | null;
}

/** Reads and checks the operator form (pure); errors map fields to message keys. */
export function parseOperatorForm(body: FormBody): { form: OperatorForm; errors: FieldErrors } {
  const form: OperatorForm = {
    login: text(body, 'login', 64).toLowerCase(),
    name: text(body, 'name') || null,
    email: text(body, 'email', 320).toLowerCase() || null,
    rights: knownRights(many(body, 'rights')),
    disabled: checked(body, 'disabled'),
    language: text(body, 'language', 8) || null,
  };
  const errors: FieldErrors = {};
  if (!LOGIN_PATTERN.test(form.login)) errors.login = 'operators.error.login';
  if (form.email && addressProblem(form.email)) errors.email = 'form.error.email';
  if (form.language !== null && !registeredLanguages().includes(form.language)) errors.language = 'account.error.language';
  if (form.rights.length === 0) errors.rights = 'operators.error.rights';
  return { form, errors };
}
