import { UniqueConstraintError } from 'sequelize';

/**
 * Database errors as the rest of Herald asks about them, so that no code outside server/db knows
 * the driver's error classes.
 */

/** The write broke a unique index: a name taken, or a row another process created meanwhile. */
export function isUniqueViolation(err: unknown): boolean {
  return err instanceof UniqueConstraintError;
}
