import { PICKER_FIELDS } from '../../delivery/source/field-picker.js';
import type { Translate } from '../i18n/translate.js';
import { htmlEditorBlocks } from './html-editor-blocks.js';

/** What the visual editor's script is given (views/partials/visual-editor.eta): the site's blocks, links and words. */
export interface EditorConfig {
  blocks: Array<{ name: string; label: string }>;
  /** The blocks of HTML contents (MJML contents have the MJML plugin's). */
  htmlBlocks: Array<{ id: string; label: string; content: string }>;
  /** The personalization fields of the text toolbar (recipient and delivery). */
  fields: Array<{ label: string; insert: string }>;
  /** The links of the text toolbar: Herald's own pages and the published landing pages. */
  links: Array<{ label: string; insert: string }>;
  text: { block: string; blocks: string; field: string; link: string; layout: string; canvas: string; device: string };
}

export interface EditorSite {
  blocks: ReadonlyArray<{ name: string; label: string }>;
  /** The landing pages a content may link to (the published ones are offered). */
  landingPages: ReadonlyArray<{ slug: string; title: string; publishedAt: Date | null }>;
  /** web.publicUrl, where /l/<slug> is served. */
  publicUrl: string;
  /** Whether the content is a message (its own links: unsubscribe, preferences, mirror) or a page shown to anyone. */
  message: boolean;
}

const escape = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * A landing page's link as a content writes it: an absolute https link, which the delivery's link
 * tracking turns into a signed tracked link like any other (labelled with the page's address).
 */
export function landingLink(publicUrl: string, page: { slug: string; title: string }): string {
  const href = `${publicUrl.replace(/\/+$/, '')}/l/${encodeURIComponent(page.slug)}`;
  return `<a href="${escape(href)}" data-herald-label="${escape(`landing ${page.slug}`)}">${escape(page.title)}</a>`;
}

export function editorConfig(t: Translate, site: EditorSite): EditorConfig {
  const own = site.message ? PICKER_FIELDS.filter((f) => f.group === 'links').map((f) => ({ label: t(f.label), insert: f.insert })) : [];
  const pages = site.landingPages
    .filter((p) => p.publishedAt)
    .map((p) => ({ label: t('editor.landing_link', { title: p.title }), insert: landingLink(site.publicUrl, p) }));
  return {
    blocks: site.blocks.map((b) => ({ name: b.name, label: b.label })),
    htmlBlocks: htmlEditorBlocks(t),
    fields: site.message
      ? PICKER_FIELDS.filter((f) => f.group === 'recipient' || f.group === 'delivery').map((f) => ({ label: t(f.label), insert: f.insert }))
      : [],
    links: [...own, ...pages],
    text: {
      block: t('editor.block'),
      blocks: t('picker.group.blocks'),
      field: t('editor.field'),
      link: t('editor.link'),
      layout: t('editor.layout'),
      canvas: t('editor.canvas'),
      device: t('editor.device'),
    },
  };
}
