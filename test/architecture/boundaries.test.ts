import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { APP_ROOT } from '../../server/shared/app-root.js';
import { graphOf, readGraph, reachable } from './import-graph.js';
import { LIBRARIES, PROCESSES, RULES, type Rule } from './rules.js';

/** The folder rules of server/ (test/architecture/rules.ts), on the real tree and on made-up ones. */

const rule = (start: string): Rule => {
  const found = RULES.find((r) => r.rule.startsWith(start));
  if (!found) throw new Error(`no rule starting "${start}"`);
  return found;
};

describe('boundaries of server/ folders (the real tree)', () => {
  const graph = readGraph(APP_ROOT, 'server');

  it('reads the whole tree, and finds the hot path from the tracking entry (the walk works)', () => {
    assert.ok(graph.files.size > 300, `read ${graph.files.size} files`);
    const { files } = reachable(graph, 'server/tracking/main.ts');
    for (const file of ['server/tracking/hot-path.ts', 'server/tracking/hit-log.ts', 'server/shared/tokens.ts']) assert.ok(files.has(file), file);
  });

  for (const r of RULES) it(r.rule, () => assert.deepEqual(r.violations(graph), []));

  it('every folder of server/ has a README (purpose, flow, failure modes, how to test)', () => {
    const folders = readdirSync(join(APP_ROOT, 'server'), { withFileTypes: true }).filter((d) => d.isDirectory());
    assert.deepEqual(
      folders.filter((d) => !existsSync(join(APP_ROOT, 'server', d.name, 'README.md'))).map((d) => d.name),
      [],
    );
    assert.deepEqual(folders.map((d) => d.name).sort(), [...PROCESSES, ...LIBRARIES].sort(), 'the folder roles name every folder');
  });
});

describe('boundary rules catch what they forbid (made-up trees)', () => {
  const tree = (files: Record<string, string>) => graphOf(new Map(Object.entries(files)));
  const clean = {
    'server/shared/errors.ts': 'export class HeraldError extends Error {}',
    'server/db/connect.ts':
      "import { HeraldError } from '../shared/errors.js';\nimport { Sequelize } from 'sequelize';\nexport type Database = { s: Sequelize };",
    'server/db/repos/deliveries.ts':
      "import type { Database } from '../connect.js';\nexport async function findDelivery(db: Database, id: number): Promise<void> {}\nexport function chunks(n: number): number[] { return [n]; }",
    'server/mta/main.ts': "import { findDelivery } from '../db/repos/deliveries.js';\nexport const start = () => findDelivery;",
    'server/tracking/main.ts': "import { hit } from './hot-path.js';\nexport const start = hit;",
    'server/tracking/hot-path.ts': "import { createServer } from 'node:http';\nexport const hit = createServer;",
    'server/cli/main.ts': "export const load = () => import('../mta/main.js');",
  };

  it('finds nothing wrong in a tree that keeps every rule', () => {
    const graph = tree(clean);
    for (const r of RULES) assert.deepEqual(r.violations(graph), [], r.rule);
  });

  const cases: Array<{ breaks: string; rule: string; files: Record<string, string>; expect: RegExp }> = [
    {
      breaks: 'a cycle made of type-only imports',
      rule: 'no two folders',
      files: {
        'server/db/repos/throttle.ts': "import type { Grant } from '../../mta/gcra.js';\nexport type T = Grant;",
        'server/mta/gcra.ts': "import type { Database } from '../db/connect.js';\nexport type Grant = Database;",
      },
      expect: /cycle \{db, mta\}: server\/db\/repos\/throttle\.ts → server\/mta\/gcra\.ts; server\/mta\/\S+ → server\/db\//,
    },
    {
      breaks: 'a cycle through a re-export and a dynamic import',
      rule: 'no two folders',
      files: {
        'server/api/api-app.ts': "export { crossSiteReason } from '../web/csrf.js';",
        'server/web/csrf.ts': "export const crossSiteReason = () => import('../api/api-app.js');",
      },
      expect: /cycle \{api, web\}/,
    },
    {
      breaks: "the console importing the workflow server's engine",
      rule: 'a process never imports',
      files: { 'server/web/routes/workflows.ts': "import { Engine } from '../../wfserver/engine.js';", 'server/wfserver/engine.ts': 'export class Engine {}' },
      expect: /server\/web\/routes\/workflows\.ts:1 → server\/wfserver\/engine\.ts/,
    },
    {
      breaks: 'the CLI importing a module past its main.ts',
      rule: 'a process never imports',
      files: {
        'server/cli/commands/status.ts': "import { table } from '../../watchdog/status-table.js';",
        'server/watchdog/status-table.ts': 'export const table = 1;',
      },
      expect: /server\/cli\/commands\/status\.ts:1 → server\/watchdog\/status-table\.ts/,
    },
    {
      breaks: 'the database importing the MTA',
      rule: 'a library never imports',
      files: { 'server/db/repos/mta-throttle.ts': "import { reserve } from '../../mta/gcra.js';", 'server/mta/gcra.ts': 'export const reserve = 1;' },
      expect: /server\/db\/repos\/mta-throttle\.ts:1 → server\/mta\/gcra\.ts/,
    },
    {
      breaks: 'shared/ importing the database',
      rule: 'shared/ imports',
      files: { 'server/shared/x.ts': "import type { Database } from '../db/connect.js';\nexport type X = Database;" },
      expect: /server\/shared\/x\.ts:1 → server\/db\/connect\.ts/,
    },
    {
      breaks: 'the database importing a library above it',
      rule: 'db/ imports',
      files: {
        'server/db/repos/recipients.ts': "import type { Row } from '../../recipients/csv-columns.js';\nexport type R = Row;",
        'server/recipients/csv-columns.ts': 'export type Row = { email: string };',
      },
      expect: /server\/db\/repos\/recipients\.ts:1 → server\/recipients\/csv-columns\.ts/,
    },
    {
      breaks: 'Sequelize imported by a console route, and a driver loaded dynamically',
      rule: 'only server/db imports',
      files: {
        'server/web/routes/lists.ts': "import { UniqueConstraintError } from 'sequelize';\nexport const E = UniqueConstraintError;",
        'server/mta/x.ts': "export const load = () => import('sqlite3');",
      },
      expect: /server\/web\/routes\/lists\.ts:1 → sequelize[\s\S]*server\/mta\/x\.ts:1 → sqlite3/,
    },
    {
      breaks: 'a route reaching the Sequelize instance, and a model class imported as a value',
      rule: 'outside server/db, nothing reaches',
      files: {
        'server/web/routes/health.ts': 'export const ping = (db: { sequelize: { authenticate(): void } }) => db.sequelize.authenticate();',
        'server/api/routes/deliveries.ts': "import { DeliveryIndicator } from '../../db/models/index.js';\nexport const I = DeliveryIndicator;",
        'server/db/models/index.ts': 'export class DeliveryIndicator {}',
      },
      expect:
        /server\/web\/routes\/health\.ts:1 reads \.sequelize[\s\S]*server\/api\/routes\/deliveries\.ts:1 → server\/db\/models\/index\.ts \(a value import\)/,
    },
    {
      breaks: 'SQL written in a route',
      rule: 'SQL stays',
      files: { 'server/web/routes/health.ts': 'export const q = `SELECT id FROM deliveries WHERE state = ?`;' },
      expect: /server\/web\/routes\/health\.ts:1 holds SQL/,
    },
    {
      breaks: 'a dialect test outside server/db',
      rule: 'dialects are told apart',
      files: { 'server/web/routes/recipients.ts': "export const like = (d: string) => (d === 'mssql' ? '[' : '\\\\');" },
      expect: /server\/web\/routes\/recipients\.ts:1 names a dialect/,
    },
    {
      breaks: 'a repository that reads a process-wide model instead of taking the database',
      rule: 'every repository function',
      files: { 'server/db/repos/deliveries.ts': 'export async function findDelivery(id: number): Promise<void> {}' },
      expect: /server\/db\/repos\/deliveries\.ts:1 findDelivery\(id: number…\)/,
    },
    {
      breaks: 'the tracking hot path reaching the ingest code, Sequelize and Koa',
      rule: 'the tracking module never reaches',
      files: {
        ...clean,
        'server/tracking/hot-path.ts': "import { ingest } from '../tracking-data/ingest.js';\nimport Koa from 'koa';\nexport const hit = [ingest, Koa];",
        'server/tracking-data/ingest.ts': "import { Op } from 'sequelize';\nexport const ingest = Op;",
      },
      expect: /reaches server\/tracking-data\/ingest\.ts[\s\S]*reaches the sequelize package[\s\S]*reaches the koa package/,
    },
    {
      breaks: 'the stat server reading its ledger from the database',
      rule: 'the stat server never reaches',
      files: {
        'server/stat/main.ts': "import { ledger } from './ledger-store.js';\nexport const start = ledger;",
        'server/stat/ledger-store.ts': "import { findThrottle } from '../db/repos/mta-throttle.js';\nexport const ledger = findThrottle;",
        'server/db/repos/mta-throttle.ts': "import { Op } from 'sequelize';\nexport const findThrottle = Op;",
      },
      expect: /reaches server\/db\/repos\/mta-throttle\.ts[\s\S]*reaches the sequelize package/,
    },
    {
      breaks: 'Koa in the MTA',
      rule: 'only the console and the REST API',
      files: { 'server/mta/status-page.ts': "import Koa from 'koa';\nexport const app = new Koa();" },
      expect: /server\/mta\/status-page\.ts:1 → koa/,
    },
    {
      breaks: 'a 41-line process entry, and a library with a main.ts',
      rule: 'every process has a main.ts',
      files: {
        'server/mta/main.ts': 'export const x = 1;\n'.repeat(41),
        'server/db/main.ts': 'export const x = 1;',
        'server/inmail/receiver.ts': 'export const x = 1;',
      },
      expect: /server\/db\/main\.ts: a library has no process entry\nserver\/mta\/main\.ts has 41 lines\nserver\/inmail\/ has no main\.ts/,
    },
    {
      breaks: 'process.exit in the middle of the MTA',
      rule: 'process.exit is called only',
      files: { 'server/mta/sender.ts': 'export function fail(): never {\n  process.exit(1);\n}' },
      expect: /server\/mta\/sender\.ts:2 calls process\.exit/,
    },
    {
      breaks: 'a new folder nobody classified',
      rule: 'every folder of server/',
      files: { 'server/fax/send.ts': 'export const send = 1;' },
      expect: /server\/fax\/ is neither in PROCESSES nor in LIBRARIES/,
    },
  ];

  for (const c of cases)
    it(`fails on ${c.breaks}`, () => {
      const violations = rule(c.rule).violations(tree({ ...clean, ...c.files }));
      assert.match(violations.join('\n'), c.expect);
    });

  it('reads imports with the TypeScript parser: comments and strings never count, every import form does', () => {
    const graph = tree({
      'server/mta/a.ts': [
        "// import { x } from '../db/connect.js';",
        'const text = "import { y } from \'../web/app.js\'";',
        "import type { T } from './t.js';",
        "export * from './star.js';",
        "export type U = import('./u.js').U;",
        "import c = require('./c.js');",
        "export const lazy = () => import('./lazy.js');",
      ].join('\n'),
      'server/mta/t.ts': '',
      'server/mta/star.ts': '',
      'server/mta/u.ts': '',
      'server/mta/c.ts': '',
      'server/mta/lazy.ts': '',
    });
    const imports = graph.files.get('server/mta/a.ts')!.imports.map((e) => `${e.to}${e.typeOnly ? ' (type)' : ''}`);
    assert.deepEqual(imports, ['server/mta/t.ts (type)', 'server/mta/star.ts', 'server/mta/u.ts (type)', 'server/mta/c.ts', 'server/mta/lazy.ts']);
  });

  it('refuses to read a tree with an import of a missing file', () => {
    assert.throws(() => tree({ 'server/mta/a.ts': "import { x } from './gone.js';" }), /server\/mta\/a\.ts imports a missing \.\/gone\.js/);
  });
});
