import type { Translate } from '../i18n/translate.js';

/**
 * The visual editor's blocks for HTML contents (MJML contents have the MJML plugin's): email-safe
 * markup as email clients read it (presentation tables, inline styles, widths that shrink on a
 * phone), as data. Their placeholder words come from the catalogue, escaped here.
 */
interface HtmlBlock {
  id: string;
  label: string;
  /** The markup, with {text}, {heading}, {button} and {alt} for the catalogue's words. */
  content: string;
}

const FONT = 'font-family:Helvetica,Arial,sans-serif;color:#1d2733';
const TEXT = `<p style="margin:0 0 12px;${FONT};font-size:16px;line-height:1.5">{text}</p>`;
/** A grey picture to replace, drawn inline so that the editor needs nothing from the network. */
const PICTURE =
  'data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 width=%22600%22 height=%22200%22%3E%3Crect width=%22600%22 height=%22200%22 fill=%22%23d8dde4%22/%3E%3C/svg%3E';
const section = (cells: string) =>
  `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;margin:0 auto;background-color:#ffffff"><tr>${cells}</tr></table>`;
const column = (width: string) => `<td valign="top" width="${width}" style="padding:16px 24px">${TEXT}</td>`;

const BLOCKS: readonly HtmlBlock[] = [
  { id: 'html-section', label: 'editor.html.section', content: section(column('100%')) },
  { id: 'html-two-columns', label: 'editor.html.two_columns', content: section(column('50%') + column('50%')) },
  { id: 'html-heading', label: 'editor.html.heading', content: `<h2 style="margin:0 0 12px;${FONT};font-size:24px;line-height:1.3">{heading}</h2>` },
  { id: 'html-text', label: 'editor.html.text', content: TEXT },
  {
    id: 'html-image',
    label: 'editor.html.image',
    content: `<img src="${PICTURE}" alt="{alt}" width="600" style="display:block;width:100%;max-width:600px;height:auto;border:0">`,
  },
  {
    id: 'html-button',
    label: 'editor.html.button',
    content:
      '<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:12px 0"><tr><td style="border-radius:4px;background-color:#1d4ed8">' +
      '<a href="https://www.example.com/" style="display:inline-block;padding:12px 24px;font-family:Helvetica,Arial,sans-serif;font-size:16px;font-weight:700;color:#ffffff;text-decoration:none">{button}</a></td></tr></table>',
  },
  { id: 'html-divider', label: 'editor.html.divider', content: '<hr style="border:0;border-top:1px solid #d8dde4;margin:16px 0">' },
  { id: 'html-spacer', label: 'editor.html.spacer', content: '<div style="height:24px;line-height:24px;font-size:1px">&nbsp;</div>' },
];

const escape = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The blocks with their labels and words in the operator's language. */
export function htmlEditorBlocks(t: Translate): Array<{ id: string; label: string; content: string }> {
  const words: Record<string, string> = {
    text: escape(t('editor.html.placeholder_text')),
    heading: escape(t('editor.html.placeholder_heading')),
    button: escape(t('editor.html.placeholder_button')),
    alt: escape(t('editor.html.placeholder_alt')),
  };
  return BLOCKS.map((b) => ({ id: b.id, label: t(b.label), content: b.content.replace(/\{(text|heading|button|alt)\}/g, (_m, k: string) => words[k]!) }));
}
