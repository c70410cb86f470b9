import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'config', 'default.toml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the Herald install root above ${start}`);
    dir = parent;
  }
}

/** The install root: the folder holding package.json, config/ and views/ (works from server/ and dist/server/). */
export const APP_ROOT = findRoot(import.meta.dirname);

/** Resolves a path from config: absolute paths stay, relative ones are taken from the install root. */
export function fromRoot(path: string): string {
  return resolve(APP_ROOT, path);
}
