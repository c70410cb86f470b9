import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_ROOT } from '../../shared/app-root.js';
import { readFrontMatter } from '../../shared/front-matter.js';
import type { ContentFormat } from './blocks.js';

/**
 * The template gallery: Herald's ready templates (files of config/gallery/, one per template, MJML
 * or HTML, with their label, description, subject and kind in a heading comment) followed by the
 * templates the site added in the console (content_templates). A site template of the same name
 * replaces Herald's.
 */

export interface GalleryTemplate {
  name: string;
  label: string;
  description: string;
  subject: string;
  kind: 'marketing' | 'transactional';
  format: ContentFormat;
  source: string;
  text: string | null;
  builtin: boolean;
}

export const GALLERY_DIR = join(APP_ROOT, 'config', 'gallery');

let builtins: GalleryTemplate[] | undefined;

/** Herald's templates, read once per process. */
export function builtinTemplates(dir = GALLERY_DIR): GalleryTemplate[] {
  if (builtins && dir === GALLERY_DIR) return builtins;
  const found = readdirSync(dir)
    .filter((f) => /^[a-z0-9-]+\.(mjml|html)$/.test(f))
    .sort()
    .map((file): GalleryTemplate => {
      const { meta, body } = readFrontMatter(readFileSync(join(dir, file), 'utf8'));
      const name = file.replace(/\.(mjml|html)$/, '');
      return {
        name,
        label: meta.label ?? name,
        description: meta.description ?? '',
        subject: meta.subject ?? '',
        kind: meta.kind === 'transactional' ? 'transactional' : 'marketing',
        format: file.endsWith('.mjml') ? 'mjml' : 'html',
        source: body,
        text: null,
        builtin: true,
      };
    });
  if (dir === GALLERY_DIR) builtins = found;
  return found;
}

export interface SiteTemplate {
  name: string;
  label: string;
  description: string | null;
  format: ContentFormat;
  subject: string | null;
  source: string;
  text: string | null;
}

/** The whole gallery: Herald's templates, then the site's (replacing Herald's of the same name). */
export function gallery(site: readonly SiteTemplate[]): GalleryTemplate[] {
  const own = site.map((t): GalleryTemplate => ({
    name: t.name,
    label: t.label,
    description: t.description ?? '',
    subject: t.subject ?? '',
    kind: 'marketing',
    format: t.format,
    source: t.source,
    text: t.text,
    builtin: false,
  }));
  const names = new Set(own.map((t) => t.name));
  return [...builtinTemplates().filter((t) => !names.has(t.name)), ...own];
}
