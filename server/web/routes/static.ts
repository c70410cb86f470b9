import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import Router from '@koa/router';
import { APP_ROOT } from '../../shared/app-root.js';

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/**
 * GET /static/<file>: the files of views/static, loaded into memory at start (no path is ever
 * built from the request, so no traversal is possible).
 */
export function staticRoutes(dir = join(APP_ROOT, 'views', 'static')): Router {
  const files = new Map<string, { body: Buffer; type: string }>();
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)];
    if (type) files.set(name, { body: readFileSync(join(dir, name)), type });
  }
  const router = new Router();
  router.get('/static/:name', (ctx) => {
    const file = files.get(ctx.params.name ?? '');
    if (!file) return;
    ctx.type = file.type;
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = file.body;
  });
  return router;
}

/**
 * GET /static/vendor/<file>: the visual editor's libraries, read at start from the installed npm
 * packages (pinned in package.json), so the editor works offline with no CDN. A fixed list: nothing
 * else under node_modules is reachable.
 */
export const VENDOR_FILES: Readonly<Record<string, string>> = {
  'grapes.min.js': 'node_modules/grapesjs/dist/grapes.min.js',
  'grapes.min.css': 'node_modules/grapesjs/dist/css/grapes.min.css',
  'grapesjs-mjml.js': 'node_modules/grapesjs-mjml/dist/index.js',
};

export function vendorRoutes(root = APP_ROOT): Router {
  const files = new Map<string, { body: Buffer; type: string }>();
  for (const [name, path] of Object.entries(VENDOR_FILES)) files.set(name, { body: readFileSync(join(root, path)), type: TYPES[extname(name)]! });
  const router = new Router();
  router.get('/static/vendor/:name', (ctx) => {
    const file = files.get(ctx.params.name ?? '');
    if (!file) return;
    ctx.type = file.type;
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = file.body;
  });
  return router;
}
