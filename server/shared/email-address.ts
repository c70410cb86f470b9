/**
 * Email addresses, checked and compared the same way wherever they come in or go out: the CSV
 * import, the console and public forms, the API, transactional events, the delivery analysis, the
 * control rules and the message builder. Addresses are stored and compared in lower case.
 */

// Pragmatic address check: one @, a dot-atom-ish local part, a domain with a dot and valid labels.
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

/** The address as it is stored, compared and sent: trimmed and lower-cased ('' for none). */
export const normalizeAddress = (email: string | null | undefined): string => (email ?? '').trim().toLowerCase();

/** Why an address cannot be used, in English (the control rules word them per language by code). */
export const ADDRESS_PROBLEMS = {
  empty: 'empty email',
  too_long: 'email longer than 320 characters',
  no_at: 'email has no "@" between a local part and a domain',
  local_too_long: 'email local part longer than 64 characters',
  local_chars: 'email local part has characters that are not allowed',
  domain: 'email domain is not a valid host name',
} as const;
export type AddressProblem = keyof typeof ADDRESS_PROBLEMS;

/** Why an address cannot be used, as a code, or undefined when it is fine. */
export function addressProblemCode(email: string): AddressProblem | undefined {
  if (email === '') return 'empty';
  if (email.length > 320) return 'too_long';
  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1) return 'no_at';
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local.length > 64) return 'local_too_long';
  if (!LOCAL.test(local)) return 'local_chars';
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l)) || /^\d+$/.test(labels[labels.length - 1]!)) return 'domain';
  return undefined;
}

/** Why an address cannot be used, or undefined when it is fine. */
export function addressProblem(email: string): string | undefined {
  const code = addressProblemCode(email);
  return code && ADDRESS_PROBLEMS[code];
}

/** The domain of an address (after its last "@"), lower-cased. */
export const addressDomain = (address: string): string => address.slice(address.lastIndexOf('@') + 1).toLowerCase();
