/**
 * The machinery of Herald's message catalogues, shared by every module that speaks to people: the
 * console and public pages (server/web/i18n), the system mails (server/events) and the control-rule
 * messages (server/delivery). A catalogue maps keys to texts with `{name}` placeholders; one per
 * language, English always present and the fallback for a missing key. Pure.
 */

export type Params = Record<string, string | number>;
export type Translate = (key: string, params?: Params) => string;
export type Catalogue = Readonly<Record<string, string>>;
/** The catalogues of the registered languages, by language code; `en` always present. */
export type Catalogues = Readonly<Record<string, Catalogue>> & { readonly en: Catalogue };

/** The `{name}` placeholders a text uses, sorted and without repeats. */
export function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))].sort();
}

/** A text with its `{name}` placeholders filled from `params` (an unknown one stays as written). */
export function fill(text: string, params?: Params): string {
  return params ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m)) : text;
}

/** The languages of a set of catalogues, English first. */
export function languagesOf(catalogues: Catalogues): string[] {
  return ['en', ...Object.keys(catalogues).filter((l) => l !== 'en')];
}

/** A translator into one language: its text, else English's, else the key itself. */
export function catalogueTranslator(locale: string, catalogues: Catalogues): Translate {
  const catalogue = catalogues[locale] ?? catalogues.en;
  return (key, params) => fill(catalogue[key] ?? catalogues.en[key] ?? key, params);
}
