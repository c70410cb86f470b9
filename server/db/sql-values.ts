import type { Dialect } from './connect.js';

/**
 * A date as a bound parameter of raw SQL, in the form each dialect stores and compares: SQLite keeps
 * dates as text (Sequelize's `YYYY-MM-DD HH:MM:SS.sss +00:00`, so text order is time order); SQL
 * Server and PostgreSQL take ISO 8601 into their date-time types.
 */
export function sqlDate(dialect: Dialect, date: Date): string {
  return dialect === 'sqlite' ? date.toISOString().replace('T', ' ').replace('Z', ' +00:00') : date.toISOString();
}
