import type { Transaction } from 'sequelize';
import type { Database } from './connect.js';

/**
 * Runs `fn` inside a savepoint of `transaction`. A statement that fails there (typically a unique
 * violation: another process created the row first) rolls back to the savepoint and the
 * transaction goes on. Needed on PostgreSQL, where any failed statement otherwise aborts the whole
 * transaction; harmless on SQLite and SQL Server.
 */
export function inSavepoint<T>(db: Database, transaction: Transaction, fn: (t: Transaction) => Promise<T>): Promise<T> {
  return db.sequelize.transaction({ transaction }, fn);
}
