import { convert } from 'html-to-text';
import { restoreTags, shieldTags } from './eta-shield.js';

/**
 * The text part of a message whose author left it empty, made from its HTML: headings, paragraphs
 * and lists as plain text, links as `text <url>` so they are tracked in the text part too (the
 * unsubscribe link included), images as their alt text; the preheader and anything hidden left out.
 * Eta tags are shielded from the converter and come back unchanged.
 */
export function textFromHtml(html: string): string {
  const shielded = shieldTags(html);
  const text = convert(shielded.text, {
    wordwrap: 78,
    selectors: [
      { selector: 'a', options: { linkBrackets: ['<', '>'], hideLinkHrefIfSameAsText: true, ignoreHref: false } },
      { selector: 'img', format: 'skip' },
      { selector: 'h1', options: { uppercase: false } },
      { selector: 'h2', options: { uppercase: false } },
      { selector: 'h3', options: { uppercase: false } },
      { selector: 'table', format: 'block' },
      { selector: 'tr', format: 'block' },
      { selector: 'td', format: 'block' },
      { selector: 'th', format: 'block' },
      { selector: 'tbody', format: 'block' },
      { selector: '[style*="display:none"]', format: 'skip' },
      { selector: '[style*="display: none"]', format: 'skip' },
      { selector: 'title', format: 'skip' },
      { selector: 'style', format: 'skip' },
    ],
  });
  return (
    restoreTags(text, shielded.tags)
      .text.replace(/\n{3,}/g, '\n\n')
      .trim() + '\n'
  );
}
