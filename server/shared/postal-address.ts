/**
 * A recipient's postal address as one line, the address a direct mail message goes to: its parts
 * trimmed, inner spaces collapsed, lower case (the form quarantines keep addresses in), joined with
 * ", ". Two recipients at the same address get the same line, so duplicates and quarantines compare
 * it. Pure.
 */

export interface PostalParts {
  addressLine1?: string | null;
  addressLine2?: string | null;
  postalCode?: string | null;
  city?: string | null;
  country?: string | null;
}

/** Longest address line a broad log and a quarantine row keep. */
export const MAX_POSTAL_ADDRESS = 320;

const clean = (v: string | null | undefined) => (v ?? '').replace(/\s+/g, ' ').trim().toLowerCase();

export type PostalLine = { address: string; problem?: string };

/** The one-line address ('' when every part is empty), and what is missing for a letter to reach it. */
export function postalLine(p: PostalParts): PostalLine {
  const line1 = clean(p.addressLine1);
  const line2 = clean(p.addressLine2);
  const code = clean(p.postalCode);
  const city = clean(p.city);
  const country = clean(p.country);
  const address = [line1, line2, [code, city].filter(Boolean).join(' '), country].filter(Boolean).join(', ').slice(0, MAX_POSTAL_ADDRESS);
  const missing = [!line1 && 'street line', !city && 'city'].filter(Boolean);
  return missing.length && address ? { address, problem: `the postal address has no ${missing.join(' nor ')}` } : { address };
}
