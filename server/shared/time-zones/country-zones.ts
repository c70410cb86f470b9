import { isIsoCountry } from './iso-countries.js';
import { canonicalTimeZone } from './zone-maths.js';

/**
 * A recipient's time zone when only the country is known (ISO 3166-1 alpha-2). Where the runtime's
 * time-zone database gives a country one zone, that zone. Where it gives several, the zone below
 * when nearly everyone lives in it (the others are islands or enclaves); countries spread over
 * several zones (United States, Canada, Australia, Brazil, Russia, Mexico, Indonesia…) have none:
 * their recipients take the delivery's zone unless they have their own.
 */
const MAIN_ZONE: Readonly<Record<string, string>> = {
  AR: 'America/Argentina/Buenos_Aires',
  CL: 'America/Santiago',
  CN: 'Asia/Shanghai',
  CY: 'Asia/Nicosia',
  DE: 'Europe/Berlin',
  EC: 'America/Guayaquil',
  ES: 'Europe/Madrid',
  MY: 'Asia/Kuala_Lumpur',
  NZ: 'Pacific/Auckland',
  PT: 'Europe/Lisbon',
  UA: 'Europe/Kyiv',
  UZ: 'Asia/Tashkent',
};

const COUNTRY = /^[A-Z]{2}$/;

/** Whether `code` (any case, spaces around) is an assigned ISO 3166-1 alpha-2 country code. */
export const isCountryCode = (code: string): boolean => isIsoCountry(code.trim().toUpperCase());

/** The zone of a country, or undefined when it has none of its own (unknown, or spread over several zones). */
export function zoneOfCountry(code: string): string | undefined {
  const country = code.trim().toUpperCase();
  if (!COUNTRY.test(country)) return undefined;
  const main = MAIN_ZONE[country];
  if (main) return canonicalTimeZone(main);
  const zones = (new Intl.Locale(`und-${country}`) as Intl.Locale & { timeZones?: string[] }).timeZones ?? [];
  return zones.length === 1 ? canonicalTimeZone(zones[0]!) : undefined;
}

/** The zone a message goes by: the recipient's own, else its country's, else the delivery's. */
export function recipientZone(recipient: { timeZone: string | null; country: string | null }, deliveryZone: string): string {
  return (
    (recipient.timeZone ? canonicalTimeZone(recipient.timeZone) : undefined) ??
    (recipient.country ? zoneOfCountry(recipient.country) : undefined) ??
    deliveryZone
  );
}
