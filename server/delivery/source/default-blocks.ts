import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_ROOT } from '../../shared/app-root.js';
import { readFrontMatter } from '../../shared/front-matter.js';
import type { ContentBlock } from './blocks.js';

/**
 * Herald's default content blocks as shipped (config/blocks/): what a new install copies into its
 * database once (migration 041), and what the gallery is checked and benchmarked with.
 */
export const DEFAULT_BLOCKS_DIR = join(APP_ROOT, 'config', 'blocks');

export function defaultBlocks(dir = DEFAULT_BLOCKS_DIR): Map<string, ContentBlock> {
  const blocks = new Map<string, ContentBlock>();
  for (const file of readdirSync(dir)
    .filter((f) => /\.(mjml|html)$/.test(f))
    .sort()) {
    const { meta, body } = readFrontMatter(readFileSync(join(dir, file), 'utf8'));
    const name = file.replace(/\.(mjml|html)$/, '');
    blocks.set(name, { name, label: meta.label ?? name, format: file.endsWith('.mjml') ? 'mjml' : 'html', source: body });
  }
  return blocks;
}
