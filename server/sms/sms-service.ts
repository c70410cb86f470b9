import { hostname } from 'node:os';
import { quarantinePolicy } from '../bounce/quarantine-policy.js';
import type { Database } from '../db/connect.js';
import { releaseLeases } from '../db/repos/mta-queue.js';
import { renewLeasesOf } from '../delivery/leased-deliveries.js';
import { smsSegments } from '../delivery/sms/segments.js';
import { loadCompiledDelivery } from '../delivery/sending.js';
import type { HeraldConfig } from '../shared/config/schema.js';
import { describeError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { Registry } from '../shared/metrics/registry.js';
import type { ReloadResult } from '../shared/run-process.js';
import { registerSmsMetrics } from './metrics.js';
import { SmppConnector } from './smpp-connector.js';
import { SmsSender } from './sms-sender.js';
import { SmsWriter, type StopRequest, type WriterOptions } from './sms-writer.js';

/**
 * Wires the SMS module: its lease owner (leases left by a killed run are freed at once), one
 * connector per `[[sms.connectors]]`, the group-commit writer that receipts and replies go through,
 * the answer to a STOP word, the send loop, and the renewal of the leases of the messages in flight.
 */

export interface SmsService {
  stop(): Promise<void>;
  status(): Record<string, unknown>;
  reload(config: HeraldConfig): ReloadResult;
}

/** Keys a running SMS module applies on reload; the connectors and the loop's limits at its next start. */
export const SMS_RELOADABLE = ['sms.stopWords', 'sms.stopReply', 'sms.stopReplies', 'languages.default', 'recipients.defaultCountry', 'quarantine'] as const;

const writerOptions = (config: HeraldConfig): WriterOptions => ({
  stopWords: config.sms.stopWords,
  defaultCountry: config.recipients.defaultCountry,
  policy: quarantinePolicy(config.quarantine),
});

export interface SmsServiceOptions {
  clock?: () => Date;
  /** The process's Prometheus registry: the module's metrics are read from its counters at each scrape. */
  registry?: Registry;
}

/** The answer to STOP in the number's language (its recipient's, else the site's): `stopReplies`, else `stopReply` ("": none). */
export function stopAnswer(config: Pick<HeraldConfig, 'sms' | 'languages'>, language: string | null): string {
  if (!config.sms.stopReply) return ''; // no answer, in any language
  const chosen = (language ?? config.languages.default) as keyof HeraldConfig['sms']['stopReplies'];
  return config.sms.stopReplies[chosen] || config.sms.stopReply;
}

export async function startSmsService(db: Database, config: HeraldConfig, log: Logger, options: SmsServiceOptions = {}): Promise<SmsService> {
  const clock = options.clock ?? (() => new Date());
  const owner = `sms-${config.instanceName}-${hostname()}`.slice(0, 60);
  const released = await releaseLeases(db, owner);
  if (released > 0) log.info('SMS_LEASES_RELEASED', { count: released, owner });
  let replies = config;
  const connectors: SmppConnector[] = [];
  const answerStop = (stop: StopRequest) => {
    const connector = connectors.find((c) => c.name === stop.connector && c.ready);
    const text = stopAnswer(replies, stop.language);
    if (!connector || !text) return;
    void (async () => {
      for (const segment of smsSegments(text, 0)) await connector.reply(stop.number, segment);
    })().catch((err) => log.warn('SMS_LOOP_ERROR', { err: describeError(err) }));
  };
  const writer = new SmsWriter(db, owner, writerOptions(config), log, clock, answerStop);
  for (const settings of config.sms.connectors) connectors.push(new SmppConnector(settings, log, (pdu) => writer.addInbound(pdu)));
  const sender = new SmsSender({
    db,
    log,
    owner,
    connectors,
    writer,
    compile: (id) => loadCompiledDelivery({ db, config, dkim: [] }, id),
    clock,
    options: config.sms,
  });
  if (options.registry) registerSmsMetrics(options.registry, { sender, writer, connectors });
  writer.start(config.sms.commitIntervalMs);
  for (const c of connectors) c.start();
  sender.start();
  // the leases of the messages waiting for their SMSC's answer or their commit are renewed, so a
  // slow or throttled SMSC does not let them run out while this process lives
  const stopRenewal = renewLeasesOf(db, owner, () => sender.leasedIds(), { leaseSeconds: config.sms.leaseSeconds, clock, log, errorEvent: 'SMS_LOOP_ERROR' });
  return {
    async stop() {
      stopRenewal();
      await sender.stop();
      for (const c of connectors) await c.stop();
      await writer.stop();
      await releaseLeases(db, owner);
    },
    status: () => ({ owner, ...sender.status(), ...writer.counters, connectors: Object.fromEntries(connectors.map((c) => [c.name, c.status()])) }),
    reload(next) {
      replies = next;
      writer.setOptions(writerOptions(next));
      return { applied: [...SMS_RELOADABLE] };
    },
  };
}
