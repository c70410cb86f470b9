import { openDatabase } from '../db/connect.js';
import { requireMigrated } from '../db/migrate.js';
import type { StartModule } from '../shared/run-process.js';
import { startSmsService } from './sms-service.js';

/** The sms module: sends the pending messages of running SMS deliveries over SMPP (see README.md). */
export const startSms: StartModule = async ({ config, paths, log, signal, metrics }) => {
  const db = await openDatabase(config, paths, { log, retry: true, signal });
  await requireMigrated(db, log);
  const sms = await startSmsService(db, config, log, { registry: metrics.registry });
  return {
    async stop() {
      await sms.stop();
      await db.close();
    },
    status: () => sms.status(),
    reload: (next) => sms.reload(next),
  };
};
