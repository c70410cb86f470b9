import { hostname } from 'node:os';
import { classifyReply } from '../bounce/analyse.js';
import { RuleBook } from '../bounce/rule-book.js';
import { quarantinePolicy } from '../bounce/quarantine-policy.js';
import type { Database } from '../db/connect.js';
import { releaseLeases, renewLeases } from '../db/repos/mta-queue.js';
import { heartbeat, unregister } from '../db/repos/mta-throttle.js';
import { loadDkimKeys } from '../delivery/dkim-keys.js';
import type { InstancePaths } from '../shared/config/paths.js';
import type { HeraldConfig } from '../shared/config/schema.js';
import { describeError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { Registry } from '../shared/metrics/registry.js';
import type { ReloadResult } from '../shared/run-process.js';
import { deliverySource } from './delivery-source.js';
import { failureEffects } from './failure-effects.js';
import { registerMtaMetrics } from './metrics.js';
import { OutcomeWriter } from './outcome-writer.js';
import { takeOwnerName } from './owner-name.js';
import { Sender, type SenderDeps } from './sender.js';
import { DomainBackoff } from './domain-backoff.js';
import { Throttle } from './throttle.js';
import { createTransport } from './transports/create.js';

/**
 * Wires the MTA: lease owner, transport, bounce rules, throttle, destination back-off, group commit
 * and the send loop, plus background duties — a heartbeat every 10 s (live MTA processes share
 * connection limits; the leases of the messages in flight are renewed), the domain blocks re-read
 * from the database every 2 s (an unblock is honoured within seconds) and a review of the domains'
 * error rates every errorReviewSec.
 */
const BLOCKS_REFRESH_MS = 2000;
/** How often the operators' qualifications (bounce_rules) are checked for a change. */
const OPERATOR_RULES_CHECK_MS = 10_000;

export interface MtaService {
  stop(): Promise<void>;
  status(): Record<string, unknown>;
  /**
   * Applies a new config without stopping: bounce rules (the file is read again; an invalid one is
   * refused and the current rules stay), domain rules, error-rate thresholds, back-off, retries and
   * quarantine policy. Returns the config keys applied and the rules count.
   */
  reload(config: HeraldConfig): ReloadResult;
}

/** Config keys a running MTA applies on reload; the others (transport, relay, TLS, limits of the loop…) at its next start. */
export const MTA_RELOADABLE = [
  'bounce.rulesFile',
  'mta.domainRules',
  'mta.errorBlockMinMessages',
  'mta.errorBlockRate',
  'mta.errorSlowRate',
  'mta.errorBlockHours',
  'mta.domainBackoffSec',
  'mta.quickRetryDelaysSec',
  'mta.retryPeriodMinutes',
  'mta.retryCount',
  'mta.globalMessagesPerSecond',
  'quarantine',
] as const;

export async function startMtaService(
  db: Database,
  config: HeraldConfig,
  paths: InstancePaths,
  log: Logger,
  clock: () => Date = () => new Date(),
  options: { signal?: AbortSignal; registry?: Registry } = {},
): Promise<MtaService> {
  const owner = config.mta.instanceId || `${config.instanceName}-${hostname()}`.slice(0, 60);
  const startedAt = clock();
  await takeOwnerName(db, owner, startedAt, clock, log, { signal: options.signal });
  const released = await releaseLeases(db, owner);
  if (released > 0) log.info('MTA_LEASES_RELEASED', { count: released, owner });
  const book = await RuleBook.open(db, config.bounce.rulesFile);
  const { transport, resolve } = createTransport(config, paths);
  const throttle = new Throttle(db, config.mta, log);
  const backoff = new DomainBackoff(config.mta.domainBackoffSec);
  const writer = new OutcomeWriter(db, owner, failureEffects(db, quarantinePolicy(config.quarantine)), log, clock);
  const retryPolicy = (c: HeraldConfig) => ({ quickDelaysSec: c.mta.quickRetryDelaysSec, periodMinutes: c.mta.retryPeriodMinutes, count: c.mta.retryCount });
  const deps: SenderDeps = {
    db,
    log,
    owner,
    transport,
    resolve,
    rules: config.mta.domainRules,
    throttle,
    backoff,
    classify: (input) => classifyReply(input, book.rules),
    writer,
    compile: deliverySource({ db, config, dkim: loadDkimKeys(config, log) }),
    retry: retryPolicy(config),
    clock,
    options: config.mta,
  };
  const sender = new Sender(deps);
  if (options.registry) {
    const parts = { db, transport, blockedKeys: () => throttle.blockedKeys().length, inFlight: () => Number(sender.status().inFlight), clock };
    deps.metrics = registerMtaMetrics(options.registry, parts);
  }
  // every 10 s: count the live MTA processes, and renew the leases of the messages in flight
  // (leaseSeconds is at least 30, so a lease never runs out while its MTA is alive)
  let lost = false;
  const beat = async () => {
    const { live, ours } = await heartbeat(db, owner, startedAt, clock());
    throttle.setInstances(live);
    if (!ours && !lost) {
      // this process stalled for over 30 s and another one took its name: it must not send beside it
      lost = true;
      log.error('MTA_OWNER_NAME_LOST', { owner });
      await sender.stop();
    }
    await renewLeases(db, owner, sender.leasedIds(), new Date(clock().getTime() + config.mta.leaseSeconds * 1000));
  };
  await beat();
  await throttle.refreshBlocks(clock());
  const every = (ms: number, duty: () => Promise<void>) =>
    setInterval(() => void duty().catch((err) => log.warn('MTA_LOOP_ERROR', { err: describeError(err) })), ms);
  const timers = [
    every(10_000, beat),
    every(BLOCKS_REFRESH_MS, () => throttle.refreshBlocks(clock())),
    every(config.mta.errorReviewSec * 1000, () => throttle.reviewErrorRates(clock())),
    // Operators' qualifications (console) apply to the next replies.
    every(OPERATOR_RULES_CHECK_MS, async () => void (await book.refresh())),
  ];
  writer.start(config.mta.commitIntervalMs);
  sender.start();
  return {
    async stop() {
      for (const t of timers) clearInterval(t);
      await sender.stop();
      await transport.close();
      if (lost) return; // the name and its leases are the other process's now
      await releaseLeases(db, owner);
      await unregister(db, owner);
    },
    status: () => ({ owner, transport: transport.name, ...sender.status(), blockedDomains: throttle.blockedKeys().length, backingOff: backoff.active() }),
    reload(next) {
      let rulesNote: Record<string, unknown>;
      try {
        rulesNote = { bounceRules: book.reloadFile(next.bounce.rulesFile).rules.length };
      } catch (err) {
        log.error('MTA_RULES_INVALID', { err: describeError(err) });
        rulesNote = { bounceRulesRefused: describeError(err) };
      }
      deps.rules = next.mta.domainRules;
      deps.retry = retryPolicy(next);
      throttle.setOptions(next.mta);
      backoff.setSteps(next.mta.domainBackoffSec);
      writer.setEffects(failureEffects(db, quarantinePolicy(next.quarantine)));
      const applied = MTA_RELOADABLE.filter((key) => key !== 'bounce.rulesFile' || 'bounceRules' in rulesNote);
      return { applied, notes: rulesNote };
    },
  };
}
