import { openDatabase } from '../db/connect.js';
import { requireMigrated } from '../db/migrate.js';
import type { StartModule } from '../shared/run-process.js';
import { systemClock } from '../workflows/clock.js';
import { Engine } from '../workflows/engine.js';
import { workflowDeliveryLauncher } from '../workflows/marketing/delivery-launcher.js';
import { registerWorkflowMetrics } from './metrics.js';

/** The workflow server: technical workflows on their schedules, and marketing workflows. */
export const startWfserver: StartModule = async ({ config, paths, log, signal, metrics }) => {
  const db = await openDatabase(config, paths, { log, retry: true, signal });
  await requireMigrated(db, log);
  const launcher = workflowDeliveryLauncher(db, config, log);
  const engine = new Engine({ db, config, paths, log, clock: systemClock, launcher, onRun: registerWorkflowMetrics(metrics.registry) });
  await engine.start();
  return {
    async stop() {
      await engine.stop();
      await db.close();
    },
    status: () => engine.status(),
  };
};
