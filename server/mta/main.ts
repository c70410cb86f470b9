import { openDatabase } from '../db/connect.js';
import { requireMigrated } from '../db/migrate.js';
import type { StartModule } from '../shared/run-process.js';
import { startMtaService } from './mta-service.js';

/** The mta module: sends the pending messages of running deliveries (see README.md). */
export const startMta: StartModule = async ({ config, paths, log, signal, metrics }) => {
  const db = await openDatabase(config, paths, { log, retry: true, signal });
  await requireMigrated(db, log);
  const mta = await startMtaService(db, config, paths, log, undefined, { signal, registry: metrics.registry });
  return {
    async stop() {
      await mta.stop();
      await db.close();
    },
    status: () => mta.status(),
    reload: (next) => mta.reload(next),
  };
};
