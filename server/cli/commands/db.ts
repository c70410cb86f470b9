import { connectionDetail, databaseTarget, openDatabase } from '../../db/connect.js';
import { serverVersion } from '../../db/health.js';
import { appliedMigrations, migrate, MIGRATIONS, pendingMigrations } from '../../db/migrate.js';
import { EXIT } from '../../shared/exit-codes.js';
import type { Command } from '../command.js';
import { commandConfig, withDatabase } from '../context.js';

export const dbCommands: Command[] = [
  {
    words: ['db', 'migrate'],
    usage: 'db migrate',
    summary: 'apply pending schema migrations',
    async run(input) {
      const applied = await withDatabase(input, (db) => migrate(db), { migrated: false });
      input.out.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema up to date\n');
      return EXIT.OK;
    },
  },
  {
    words: ['db', 'check'],
    usage: 'db check [--json]',
    summary: 'show dialect, server version, reachability and migration status (exit 69 unreachable, 1 pending)',
    options: { json: { type: 'boolean' } },
    async run(input) {
      const { config, paths } = commandConfig(input);
      const report: Record<string, unknown> = { dialect: config.database.dialect, database: databaseTarget(config, paths), reachable: false };
      try {
        const db = await openDatabase(config, paths);
        try {
          report.reachable = true;
          report.version = await serverVersion(db);
          report.applied = await appliedMigrations(db);
          report.pending = await pendingMigrations(db);
        } finally {
          await db.close();
        }
      } catch (err) {
        report.error = connectionDetail(err);
      }
      const pending = (report.pending as string[] | undefined) ?? MIGRATIONS.map((m) => m.name);
      if (input.flags.json) input.out.write(JSON.stringify(report) + '\n');
      else {
        const lines = [
          `dialect:    ${report.dialect}`,
          `database:   ${report.database}`,
          `reachable:  ${report.reachable ? 'yes' : `no (${report.error})`}`,
          ...(report.reachable
            ? [
                `version:    ${report.version}`,
                `migrations: ${(report.applied as string[]).length} applied, ${pending.length} pending${pending.length ? ` (${pending.join(', ')}; run: herald db migrate)` : ''}`,
              ]
            : []),
        ];
        input.out.write(lines.join('\n') + '\n');
      }
      if (!report.reachable) return EXIT.UNAVAILABLE;
      return pending.length ? EXIT.FAILURE : EXIT.OK;
    },
  },
];
