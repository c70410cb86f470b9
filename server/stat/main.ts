import { ConfigError } from '../shared/errors.js';
import type { StartModule } from '../shared/run-process.js';
import { registerStatMetrics } from './metrics.js';
import { SlotLedger } from './slot-ledger.js';
import { startStatServer } from './stat-server.js';

/** One second of burst per key, as the MTA's local pacing (server/mta/throttle.ts). */
const BURST_MS = 1000;

/** The stat module: sending slots per sending IP and MX rule for every MTA that registers (see README.md). */
export const startStat: StartModule = async ({ config, siteFile, log, metrics }) => {
  const { host, port, registrationTtlMs, maxMtas, maxKeys, maxConnections } = config.stat;
  const key = config.secrets.statKey;
  if (!key) throw new ConfigError(siteFile, 'secrets.statKey', 'missing secret (the stat server signs nothing without it): run herald config init');
  const ledger = new SlotLedger({ burstMs: BURST_MS, registrationTtlMs, maxMtas, maxKeys });
  const observer = registerStatMetrics(metrics.registry, ledger);
  const server = await startStatServer(ledger, { host, port, key, maxConnections, observer }, log);
  log.info('STAT_LISTENING', { host, port: server.port });
  return {
    stop: () => server.close(),
    status: () => {
      const view = ledger.view(Date.now());
      return { host, port: server.port, mtas: view.mtas, keys: view.slots.length };
    },
  };
};
