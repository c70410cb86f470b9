import { hostname } from 'node:os';
import { classify } from '../bounce/classify.js';
import { loadRules } from '../bounce/load-rules.js';
import { quarantinePolicy } from '../bounce/quarantine-policy.js';
import type { Database } from '../db/connect.js';
import { releaseLeases } from '../db/repos/mta-queue.js';
import { heartbeat, unregister } from '../db/repos/mta-throttle.js';
import { loadDkimKeys } from '../delivery/dkim-keys.js';
import type { InstancePaths } from '../shared/config/paths.js';
import type { HeraldConfig } from '../shared/config/schema.js';
import { describeError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { deliverySource } from './delivery-source.js';
import { failureEffects } from './failure-effects.js';
import { OutcomeWriter } from './outcome-writer.js';
import { Sender } from './sender.js';
import { DomainBackoff } from './domain-backoff.js';
import { Throttle } from './throttle.js';
import { createTransport } from './transports/create.js';

/**
 * Wires the MTA: lease owner, transport, bounce rules, throttle, destination back-off, group commit
 * and the send loop, plus background duties — a heartbeat (live MTA processes share connection
 * limits) every 10 s, the domain blocks re-read from the database every 2 s (an unblock is honoured
 * within seconds) and a review of the domains' error rates every errorReviewSec.
 */
const BLOCKS_REFRESH_MS = 2000;

export interface MtaService {
  stop(): Promise<void>;
  status(): Record<string, unknown>;
}

export async function startMtaService(
  db: Database,
  config: HeraldConfig,
  paths: InstancePaths,
  log: Logger,
  clock: () => Date = () => new Date(),
): Promise<MtaService> {
  const owner = config.mta.instanceId || `${config.instanceName}-${hostname()}`.slice(0, 60);
  const released = await releaseLeases(db, owner);
  if (released > 0) log.info('MTA_LEASES_RELEASED', { count: released, owner });
  const rules = loadRules(config.bounce.rulesFile);
  const { transport, resolve } = createTransport(config, paths);
  const throttle = new Throttle(db, config.mta, log);
  const backoff = new DomainBackoff(config.mta.domainBackoffSec);
  const writer = new OutcomeWriter(db, failureEffects(db, quarantinePolicy(config.quarantine)), log, clock);
  const sender = new Sender({
    db,
    log,
    owner,
    transport,
    resolve,
    rules: config.mta.domainRules,
    throttle,
    backoff,
    classify: (input) => classify(input, rules),
    writer,
    compile: deliverySource({ db, config, dkim: loadDkimKeys(config, log) }),
    retry: { quickDelaysSec: config.mta.quickRetryDelaysSec, periodMinutes: config.mta.retryPeriodMinutes, count: config.mta.retryCount },
    clock,
    options: config.mta,
  });
  const startedAt = clock();
  const beat = async () => throttle.setInstances(await heartbeat(db, owner, startedAt, clock()));
  await beat();
  await throttle.refreshBlocks(clock());
  const every = (ms: number, duty: () => Promise<void>) =>
    setInterval(() => void duty().catch((err) => log.warn('MTA_LOOP_ERROR', { err: describeError(err) })), ms);
  const timers = [
    every(10_000, beat),
    every(BLOCKS_REFRESH_MS, () => throttle.refreshBlocks(clock())),
    every(config.mta.errorReviewSec * 1000, () => throttle.reviewErrorRates(clock())),
  ];
  writer.start(config.mta.commitIntervalMs);
  sender.start();
  return {
    async stop() {
      for (const t of timers) clearInterval(t);
      await sender.stop();
      await transport.close();
      await releaseLeases(db, owner);
      await unregister(db, owner);
    },
    status: () => ({ owner, transport: transport.name, ...sender.status(), blockedDomains: throttle.blockedKeys().length, backingOff: backoff.active() }),
  };
}
