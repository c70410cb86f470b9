import type { StartModule } from '../shared/run-process.js';
import { startTrackingServer } from './tracking-server.js';

/**
 * The tracking module: the redirection server for clicks and opens. It never opens the database
 * (test/architecture/boundaries.test.ts walks its imports): URL definitions are pushed to it, hits go to
 * its local log, and the workflow server pulls them.
 */
export const startTracking: StartModule = async ({ config, paths, log, metrics }) => {
  const server = await startTrackingServer({ config, dataDir: paths.dataDir, log, registry: metrics.registry });
  return { stop: () => server.stop(), status: () => server.status(), reload: (next) => server.reload(next) };
};
