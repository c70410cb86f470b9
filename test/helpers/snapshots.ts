import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_ROOT } from '../../server/shared/app-root.js';

/**
 * Compares generated SQL with its committed snapshot in test/db/snapshots/<dialect>/<name>.sql
 * (T-SQL by default). Review a difference, then refresh the snapshots with HERALD_TEST_UPDATE_SNAPSHOTS=1.
 */
export function matchSnapshot(name: string, actual: string, dialect: 'mssql' | 'postgres' = 'mssql'): void {
  const DIR = join(APP_ROOT, 'test', 'db', 'snapshots', dialect);
  const file = join(DIR, `${name}.sql`);
  if (process.env.HERALD_TEST_UPDATE_SNAPSHOTS === '1') {
    mkdirSync(DIR, { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  assert.ok(existsSync(file), `no snapshot ${file}; create it with HERALD_TEST_UPDATE_SNAPSHOTS=1`);
  assert.equal(actual, readFileSync(file, 'utf8'), `generated ${dialect} SQL for ${name} differs from its snapshot`);
}
