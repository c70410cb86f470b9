import { join } from 'node:path';
import { Eta } from 'eta';
import { APP_ROOT } from '../shared/app-root.js';

/**
 * The Eta engine for server-rendered pages. `<%= %>` escapes HTML (autoEscape), `<%~ %>` is raw and
 * only used for already-safe markup. Templates are cached unless NODE_ENV=development.
 */
export function createViews(viewsDir = join(APP_ROOT, 'views')): Eta {
  return new Eta({ views: viewsDir, cache: process.env.NODE_ENV !== 'development', autoEscape: true, autoTrim: [false, 'nl'] });
}
