import type { FindOptions, literal, Model, ModelStatic } from 'sequelize';

/**
 * Typed results of the reads and writes Sequelize cannot type: grouped and aggregated reads, and
 * SQL expressions written into a column. Each says what comes back once, here, instead of an
 * `as unknown as` at every query.
 */

/**
 * The rows of a raw read (grouped, aggregated or projected: `raw: true`), as plain objects whose
 * columns `R` names: attribute names, or the aliases given to `fn(...)` columns. Counts and sums
 * come back as numbers from SQLite and as strings from SQL Server (BIGINT): declare them
 * `number | string` and convert with Number().
 */
export async function rawRows<R extends object>(model: ModelStatic<Model>, options: Omit<FindOptions, 'raw'>): Promise<R[]> {
  return (await model.findAll({ ...options, raw: true })) as unknown as R[];
}

/** A SQL expression (e.g. `attempts + 1`) in place of a column value of type T in an update. */
export function sqlValue<T>(expression: ReturnType<typeof literal>): T {
  return expression as unknown as T;
}
