import { openDatabase } from '../db/connect.js';
import { requireMigrated } from '../db/migrate.js';
import type { StartModule } from '../shared/run-process.js';
import { startInmailService } from './service.js';

/** The inMail module: the bounce domain's SMTP server (DSN, complaints, auto-replies, unsubscribes). */
export const startInmail: StartModule = async ({ config, paths, log, signal, metrics }) => {
  const db = await openDatabase(config, paths, { log, retry: true, signal });
  await requireMigrated(db, log);
  const service = await startInmailService({ config, paths, db, log, registry: metrics.registry });
  return {
    async stop() {
      await service.stop();
      await db.close();
    },
    status: () => ({ ...service.status() }),
    // The shared reload path (run-process.ts): from the watchdog, or SIGHUP when run alone.
    reload: (next) => service.reload(next),
  };
};
