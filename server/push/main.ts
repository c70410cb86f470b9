import { openDatabase } from '../db/connect.js';
import { requireMigrated } from '../db/migrate.js';
import type { StartModule } from '../shared/run-process.js';
import { startPushService } from './push-service.js';

/** The push module: sends the pending messages of running push deliveries to the browsers' push services (see README.md). */
export const startPush: StartModule = async ({ config, paths, log, signal }) => {
  const db = await openDatabase(config, paths, { log, retry: true, signal });
  await requireMigrated(db, log);
  const push = await startPushService(db, config, log);
  return {
    async stop() {
      await push.stop();
      await db.close();
    },
    status: () => push.status(),
    reload: (next) => push.reload(next),
  };
};
