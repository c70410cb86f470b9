import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { QueryInterface, Transaction } from 'sequelize';
import { APP_ROOT } from '../../shared/app-root.js';
import { readFrontMatter } from '../../shared/front-matter.js';

/**
 * Herald's default content blocks (header, footer with the unsubscribe link and the postal address,
 * social links), copied from config/blocks/ into content_blocks once: from then on they are the
 * site's own, edited in the console, and a later version of the files never overwrites them.
 */

export const DEFAULT_BLOCKS_DIR = join(APP_ROOT, 'config', 'blocks');

/** The blocks carry the date of the version that brought them (the same on every install). */
const SHIPPED = new Date('2026-12-07T00:00:00.000Z');

export async function up(qi: QueryInterface, transaction?: Transaction): Promise<void> {
  const now = SHIPPED;
  const rows = readdirSync(DEFAULT_BLOCKS_DIR)
    .filter((f) => f.endsWith('.mjml') || f.endsWith('.html'))
    .sort()
    .map((file) => {
      const { meta, body } = readFrontMatter(readFileSync(join(DEFAULT_BLOCKS_DIR, file), 'utf8'));
      const name = basename(file).replace(/\.(mjml|html)$/, '');
      return { name, label: meta.label ?? name, format: file.endsWith('.mjml') ? 'mjml' : 'html', source: body, created_at: now, updated_at: now };
    });
  if (rows.length > 0) await qi.bulkInsert('content_blocks', rows, { transaction });
}
