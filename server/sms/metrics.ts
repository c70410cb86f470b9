import { Counter, Gauge } from 'prom-client';
import type { Registry } from '../shared/metrics/registry.js';
import type { SmppConnector } from './smpp-connector.js';
import type { SmsSender } from './sms-sender.js';
import type { SmsWriter } from './sms-writer.js';

/** What the SMS module counts anyway (its status counters), read at each scrape: nothing is added to the send path. */
export interface SmsMetricSources {
  sender: Pick<SmsSender, 'counters' | 'leasedIds'>;
  writer: Pick<SmsWriter, 'counters'>;
  connectors: readonly Pick<SmppConnector, 'name' | 'ready' | 'counters' | 'status'>[];
}

/**
 * The SMS module's metrics: messages claimed and settled (sent, failed, deferred), delivery
 * receipts (and those matching no message), replies and STOP words; per connector (its name comes
 * from the config, so the label stays bounded) whether it is bound, the segments in its window,
 * submits by the SMSC's answer and reconnections.
 */
export function registerSmsMetrics(registry: Registry, sources: SmsMetricSources): void {
  const counter = (name: string, help: string, read: () => number) =>
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  const { sender, writer, connectors } = sources;
  counter('herald_sms_messages_claimed_total', 'SMS messages claimed from the queue (leased) to be sent.', () => sender.counters.claimed);
  counter('herald_sms_messages_sent_total', 'SMS messages accepted by an SMSC (every segment).', () => sender.counters.sent);
  counter(
    'herald_sms_messages_failed_total',
    'SMS messages failed when submitted (refused by the SMSC, not sendable); failures a receipt reports later are in the receipts.',
    () => sender.counters.failed,
  );
  counter(
    'herald_sms_messages_deferred_total',
    'SMS messages put back for a later attempt (connector down, throttled too long).',
    () => sender.counters.deferred,
  );
  counter('herald_sms_receipts_total', 'Delivery receipts (DLR) stored.', () => writer.counters.receipts);
  counter(
    'herald_sms_receipts_unmatched_total',
    'Delivery receipts whose message id matched no message sent through that connector.',
    () => writer.counters.unmatched,
  );
  counter('herald_sms_replies_total', 'Mobile-originated messages stored (STOP words and others).', () => writer.counters.replies);
  counter('herald_sms_stops_total', 'Mobile-originated STOP words that unsubscribed a number.', () => writer.counters.stops);
  new Gauge({
    name: 'herald_sms_messages_in_flight',
    help: 'SMS messages claimed and not yet settled (waiting for the SMSC or the commit).',
    registers: [registry],
    collect() {
      this.set(sender.leasedIds().length);
    },
  });
  const perConnector = (name: string, help: string, read: (c: SmsMetricSources['connectors'][number]) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['connector'],
      registers: [registry],
      collect() {
        this.reset();
        for (const c of connectors) this.set({ connector: c.name }, read(c));
      },
    });
  perConnector('herald_sms_connector_bound', '1 while the connector is bound to its SMSC, 0 otherwise.', (c) => (c.ready ? 1 : 0));
  perConnector('herald_sms_connector_window_segments', 'Segments submitted and waiting for their submit_sm_resp.', (c) => Number(c.status().inWindow ?? 0));
  new Counter({
    name: 'herald_sms_connector_submits_total',
    help: "Segments submitted, by the SMSC's answer (accepted, throttled: slowed down and retried, rejected).",
    labelNames: ['connector', 'result'],
    registers: [registry],
    collect() {
      this.reset();
      for (const c of connectors)
        for (const result of ['accepted', 'throttled', 'rejected'] as const) this.inc({ connector: c.name, result }, c.counters[result]);
    },
  });
  new Counter({
    name: 'herald_sms_connector_reconnects_total',
    help: 'Connections to the SMSC started again after a loss or a failed bind.',
    labelNames: ['connector'],
    registers: [registry],
    collect() {
      this.reset();
      for (const c of connectors) this.inc({ connector: c.name }, c.counters.reconnects);
    },
  });
}
