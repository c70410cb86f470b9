import { relative } from 'node:path';
import { Eta } from 'eta';
import { SHIPPED_VIEWS, viewFile } from '../../shared/site-views.js';

/**
 * Eta for the public pages: the shipped views/forms templates, each replaced by the site's copy
 * when `<forms.viewsDir>/forms/<same name>` exists (layouts and partials too). Same escaping as
 * the console (autoEscape; `<%~ %>` is raw).
 */
export function createFormViews(siteDir: string): Eta {
  const eta = new Eta({ views: SHIPPED_VIEWS, cache: process.env.NODE_ENV !== 'development', autoEscape: true, autoTrim: [false, 'nl'] });
  const shipped = eta.resolvePath.bind(eta);
  eta.resolvePath = (template, options) => viewFile(siteDir, relative(SHIPPED_VIEWS, shipped(template, options)));
  return eta;
}
