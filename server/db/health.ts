import type { Database } from './connect.js';
import { serverVersion as versionOf } from './connect.js';

/** Whether the database answers now (health checks: a trivial round trip, never an error). */
export async function ping(db: Database): Promise<boolean> {
  return db.sequelize.authenticate({ logging: false }).then(
    () => true,
    () => false,
  );
}

/** The database server's version line (`herald db check`). */
export function serverVersion(db: Database): Promise<string> {
  return versionOf(db.sequelize);
}
