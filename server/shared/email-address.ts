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

/** Why an address cannot be used, or undefined when it is fine. */
export function addressProblem(email: string): string | undefined {
  if (email === '') return 'empty email';
  if (email.length > 320) return 'email longer than 320 characters';
  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1) return 'email has no "@" between a local part and a domain';
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local.length > 64) return 'email local part longer than 64 characters';
  if (!LOCAL.test(local)) return 'email local part has characters that are not allowed';
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l)) || /^\d+$/.test(labels[labels.length - 1]!)) return 'email domain is not a valid host name';
  return undefined;
}

/** The domain of an address (after its last "@"), lower-cased. */
export const addressDomain = (address: string): string => address.slice(address.lastIndexOf('@') + 1).toLowerCase();
