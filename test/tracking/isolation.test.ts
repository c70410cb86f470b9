import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { APP_ROOT } from '../../server/shared/app-root.js';

/** Every file a module entry imports, statically or dynamically, and every package it names. */
function importGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g)) {
      const specifier = match[1]!;
      if (specifier.startsWith('.')) {
        const target = resolve(dirname(file), specifier).replace(/\.js$/, '.ts');
        assert.ok(existsSync(target), `${relative(APP_ROOT, file)} imports a missing ${specifier}`);
        visit(target);
      } else packages.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);
    }
  };
  visit(entry);
  return { files, packages };
}

describe('tracking module isolation', () => {
  const graph = importGraph(join(APP_ROOT, 'server', 'tracking', 'main.ts'));
  const files = [...graph.files].map((f) => relative(APP_ROOT, f));

  it('finds the hot path in the import graph of the module entry (the walk works)', () => {
    for (const file of ['server/tracking/hot-path.ts', 'server/tracking/hit-log.ts', 'server/shared/tokens.ts']) assert.ok(files.includes(file), file);
  });

  it('never reaches the database code, its drivers or the ingest and publish code', () => {
    const reached = files.filter((f) => f.startsWith('server/db/') || f.startsWith('server/tracking-data/'));
    assert.deepEqual(reached, []);
    for (const pkg of ['sequelize', 'sqlite3', 'tedious', 'mssql']) assert.ok(!graph.packages.has(pkg), `imports ${pkg}`);
  });

  it('keeps the hot path free of Koa and its middleware', () => {
    for (const pkg of ['koa', '@koa/router', '@koa/bodyparser']) assert.ok(!graph.packages.has(pkg), `imports ${pkg}`);
  });
});
