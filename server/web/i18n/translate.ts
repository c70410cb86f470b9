import { wallClockAt } from '../../shared/time-zones/zone-maths.js';
import { EN, type MessageKey } from './en.js';
import { DE } from './de/index.js';
import { ES } from './es/index.js';
import { FR } from './fr/index.js';
import { currentLanguage } from '../../shared/i18n/language-scope.js';
import { catalogueTranslator, languagesOf, type Catalogues, type Params } from '../../shared/i18n/catalogue.js';

/**
 * The console's text: every word a page shows comes from a message catalogue, one per language
 * (`en` and the translations under `<lang>/`), with `{name}` placeholders filled from `params`. Pure;
 * tests check that every key the templates use exists, that templates hold no text of their own,
 * and that every registered language has exactly English's keys and placeholders.
 */

export { placeholdersOf, type Catalogue, type Catalogues, type Params } from '../../shared/i18n/catalogue.js';
export type Translate = (key: MessageKey | string, params?: Params) => string;

/** Registered languages: a translation is listed here once it has every key (a test checks). */
export const CATALOGUES: Catalogues = { en: EN, es: ES, fr: FR, de: DE };

/** The registered languages, English first. */
export function registeredLanguages(catalogues: Catalogues = CATALOGUES): string[] {
  return languagesOf(catalogues);
}

export function translator(locale = 'en', catalogues: Catalogues = CATALOGUES): Translate {
  return catalogueTranslator(locale, catalogues);
}

/**
 * A translator in the language of the request being answered (see language-scope.ts): the console's
 * routes and the public pages share one, each request reading its operator's or recipient's language.
 */
export function scopedTranslator(catalogues: Catalogues = CATALOGUES): Translate {
  const byLanguage = new Map(registeredLanguages(catalogues).map((l) => [l, translator(l, catalogues)]));
  const english = byLanguage.get('en')!;
  return (key, params) => (byLanguage.get(currentLanguage()) ?? english)(key, params);
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Numbers and dates as the console shows them, through `Intl` in the language's conventions:
 * instants on the wall clock of `timeZone` (the operator's preference; UTC by default), minutes
 * precision. English keeps ISO 8601 dates (2026-12-31 09:00: read the same by US and UK operators);
 * other languages their own order and separators (31/12/2026 09:00, 31.12.2026 09:00). Days without
 * a time (a list's expiry) are calendar days, shown without a zone.
 */
export function formatter(locale = 'en', timeZone = 'UTC') {
  const numbers = new Intl.NumberFormat(locale);
  const oneDecimal = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const iso = locale === 'en';
  const wall = iso
    ? undefined
    : new Intl.DateTimeFormat(locale, { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const calendar = iso ? undefined : new Intl.DateTimeFormat(locale, { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' });
  const percentOf = (value: number) => `${oneDecimal.format(value)} %`;
  return {
    /** The zone dates are shown in. */
    timeZone,
    locale,
    int: (n: number | null | undefined) => (n === null || n === undefined ? '' : numbers.format(n)),
    date: (d: Date | string | null | undefined) => {
      if (!d) return '';
      const date = d instanceof Date ? d : new Date(d);
      if (Number.isNaN(date.getTime())) return '';
      if (wall) return wall.format(date).replace(', ', ' ');
      const w = wallClockAt(date, timeZone);
      return `${String(w.year).padStart(4, '0')}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}`;
    },
    day: (d: Date | null | undefined) => (!d ? '' : calendar ? calendar.format(d) : d.toISOString().slice(0, 10)),
    percent: (part: number, whole: number) => (whole > 0 ? percentOf((100 * part) / whole) : '–'),
    /** A percentage already computed (e.g. 12.5), or a dash. */
    pct: (value: number | null | undefined) => (value === null || value === undefined ? '–' : percentOf(value)),
  };
}

export type Formatter = ReturnType<typeof formatter>;
