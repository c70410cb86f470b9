import { wallClockAt } from '../../shared/time-zones/zone-maths.js';
import { EN, type MessageKey } from './en.js';
import { DE } from './de/index.js';
import { FR } from './fr/index.js';

/**
 * The console's text: every word a page shows comes from a message catalogue (English today), with
 * `{name}` placeholders filled from `params`. Pure; a test checks that every key the templates use
 * exists and that templates hold no text of their own.
 */

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey | string, params?: Params) => string;

export const CATALOGUES: Record<string, Record<string, string>> = {
  en: EN,
  fr: FR,
  de: DE,
};

export function translator(locale = 'en'): Translate {
  const catalogue = CATALOGUES[locale] ?? EN;
  return (key, params) => {
    const text = catalogue[key] ?? (EN as Record<string, string>)[key] ?? key;
    return params ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m)) : text;
  };
}

/**
 * Numbers and dates as the console shows them: instants on the wall clock of `timeZone` (the
 * operator's preference; UTC by default), minutes precision. Days without a time (a list's expiry)
 * are calendar days and shown as stored.
 */
export function formatter(locale = 'en', timeZone = 'UTC') {
  const numbers = new Intl.NumberFormat(locale);
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    /** The zone dates are shown in. */
    timeZone,
    int: (n: number | null | undefined) => (n === null || n === undefined ? '' : numbers.format(n)),
    date: (d: Date | string | null | undefined) => {
      if (!d) return '';
      const date = d instanceof Date ? d : new Date(d);
      if (Number.isNaN(date.getTime())) return '';
      const w = wallClockAt(date, timeZone);
      return `${String(w.year).padStart(4, '0')}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}`;
    },
    day: (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 10) : ''),
    percent: (part: number, whole: number) => (whole > 0 ? `${((100 * part) / whole).toFixed(1)} %` : '–'),
    /** A percentage already computed (e.g. 12.5), or a dash. */
    pct: (value: number | null | undefined) => (value === null || value === undefined ? '–' : `${value.toFixed(1)} %`),
  };
}
