import { catalogueTranslator, type Catalogues } from '../shared/i18n/catalogue.js';

/**
 * A system mail's content file in one language. The files of `views/mail/<type>/` hold the layout
 * and Eta output for the event's values; their words are `{{t <key>}}` markers replaced by the
 * catalogue text of that language, whose `{name}` placeholders become the given Eta outputs (HTML
 * text escaped first in the HTML part). `{{lang}}` is the language, `{{webUrl}}` web.publicUrl. A
 * text never becomes template code: a `<%` in it (a site override) is written out literally. Pure.
 */

export interface MailViewInput {
  source: string;
  part: 'subject' | 'html' | 'text';
  language: string;
  catalogues: Catalogues;
  webUrl: string;
  /** Placeholder → what the template writes there (Eta output of an event value). */
  values: Readonly<Record<string, string>>;
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** Outside HTML a literal `<%` would open template code: write its `<` through an output instead. */
const literal = (s: string) => s.replaceAll('<%', '<%= "<" %>%');

export function mailView(input: MailViewInput): string {
  const t = catalogueTranslator(input.language, input.catalogues);
  return input.source
    .replace(/\{\{t ([\w.]+)\}\}/g, (_m, key: string) => {
      const words = t(key).replace(/[\r\n]+/g, input.part === 'subject' ? ' ' : '\n');
      const safe = input.part === 'html' ? escapeHtml(words) : literal(words);
      return safe.replace(/\{(\w+)\}/g, (m, name: string) => input.values[name] ?? m);
    })
    .replaceAll('{{lang}}', input.language)
    .replaceAll('{{webUrl}}', input.webUrl);
}
