import type { QueryInterface, Transaction } from 'sequelize';

/**
 * PostgreSQL's indexes for the console's recipient search (db/repos/recipient-search.ts), which
 * compares in the "C" collation (byte order, as SQLite does): email prefixes on `email COLLATE "C"`,
 * case-insensitive name prefixes on `lower(name COLLATE "C")` then id (the keyset order). They
 * replace migration 006's plain name indexes, which PostgreSQL cannot use for that search. Nothing
 * to do on SQLite (NOCASE indexes) and SQL Server (case-insensitive collations).
 */
export async function up(qi: QueryInterface, transaction?: Transaction): Promise<void> {
  if (qi.sequelize.getDialect() !== 'postgres') return;
  const statements = [
    'CREATE INDEX recipients_email_prefix ON recipients (email COLLATE "C")',
    ...['last_name', 'first_name'].flatMap((column) => [
      `DROP INDEX recipients_${column}_search`,
      `CREATE INDEX recipients_${column}_search ON recipients (lower(${column} COLLATE "C"), id)`,
    ]),
  ];
  for (const sql of statements) await qi.sequelize.query(sql, { transaction });
}
