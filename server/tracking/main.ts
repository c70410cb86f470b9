import { loadInstanceSet } from '../shared/config/instance-set.js';
import type { StartModule } from '../shared/run-process.js';
import { startTrackingServer } from './tracking-server.js';

/**
 * The tracking module: the redirection server for clicks and opens, one process for every instance
 * of the appliance (their site configs beside the default one's). It never opens the database
 * (test/architecture/boundaries.test.ts walks its imports): URL definitions are pushed to it, hits
 * go to each instance's local log, and each instance's workflow server pulls them.
 */
export const startTracking: StartModule = async ({ config, paths, siteFile, log, metrics }) => {
  const server = await startTrackingServer({
    config,
    dataDir: paths.dataDir,
    log,
    registry: metrics.registry,
    instances: (current) => loadInstanceSet({ config: current, siteFile }),
  });
  return { stop: () => server.stop(), status: () => server.status(), reload: (next) => server.reload(next) };
};
