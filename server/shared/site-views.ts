import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { APP_ROOT } from './app-root.js';
import { instancePaths } from './config/paths.js';
import type { HeraldConfig } from './config/schema.js';

/**
 * Site templates: a site replaces a shipped template of `views/forms/` or `views/mail/` by putting a
 * file at the same relative path under `forms.viewsDir` (relative to dataDir unless absolute), e.g.
 * `<dataDir>/views/forms/subscribe.eta`. Nothing else of `views/` can be replaced.
 */

export const SHIPPED_VIEWS = join(APP_ROOT, 'views');
const REPLACEABLE = ['forms', 'mail'];

export function siteViewsDir(config: HeraldConfig): string {
  return resolve(instancePaths(config).dataDir, config.forms.viewsDir);
}

/** The file to use for a path relative to the views folder: the site's copy when it has one. */
export function viewFile(siteDir: string, path: string): string {
  const rel = relative(SHIPPED_VIEWS, resolve(SHIPPED_VIEWS, path.replace(/^[/\\]+/, '')));
  if (rel.startsWith('..') || isAbsolute(rel) || !REPLACEABLE.includes(rel.split(/[/\\]/)[0]!)) return join(SHIPPED_VIEWS, rel);
  const site = join(siteDir, rel);
  return existsSync(site) ? site : join(SHIPPED_VIEWS, rel);
}
