import { Counter, Gauge } from 'prom-client';
import type { Database } from '../db/connect.js';
import { queueSummary, type QueueSummary } from '../db/repos/mta-queue.js';
import type { Registry } from '../shared/metrics/registry.js';
import type { Transport } from './transports/types.js';

/**
 * The MTA's metrics. Labels stay bounded: `rule` is the `match` of the domain rule that applied
 * (config mta.domainRules, the last one being the default), `reason` a failure reason of the
 * glossary. Never a recipient, an address or a domain.
 */
export interface MtaMetrics {
  sent(rule: string): void;
  failed(rule: string, reason: string): void;
  deferred(rule: string, reason: string): void;
  /** A message put back by the throttle: its rate limit (wait) or a domain block (block). */
  throttled(rule: string, kind: 'wait' | 'block'): void;
  /** A message put back because its destination backs off after connection failures. */
  backoffWait(): void;
}

/** How long a queue reading serves scrapes (several Prometheus servers, a fast scrape interval). */
const QUEUE_READ_MS = 5000;

export function registerMtaMetrics(
  registry: Registry,
  parts: { db: Database; transport: Transport; blockedKeys: () => number; inFlight: () => number; clock: () => Date },
): MtaMetrics {
  const counter = (name: string, help: string, labelNames: string[]) => new Counter({ name, help, labelNames, registers: [registry] });
  const sent = counter('herald_mta_messages_sent_total', 'Messages accepted by the receiving server (2xx), by domain rule.', ['rule']);
  const failed = counter('herald_mta_messages_failed_total', 'Messages failed for good, by domain rule and failure reason.', ['rule', 'reason']);
  const deferred = counter('herald_mta_messages_deferred_total', 'Messages deferred for a later retry, by domain rule and failure reason.', ['rule', 'reason']);
  const waits = counter('herald_mta_throttle_waits_total', 'Messages put back because their domain rule or domain reached its rate.', ['rule']);
  const blocks = counter('herald_mta_throttle_blocks_total', 'Messages put back because their domain is blocked (error rate, or by an operator).', ['rule']);
  const backoff = counter('herald_mta_backoff_waits_total', 'Messages put back because their destination backs off after connection failures.', []);

  let reading: { atMs: number; value: Promise<QueueSummary> } | undefined;
  const queue = () => {
    const now = parts.clock();
    if (!reading || now.getTime() - reading.atMs > QUEUE_READ_MS) reading = { atMs: now.getTime(), value: queueSummary(parts.db, now) };
    return reading.value.then((q) => ({ q, now }));
  };
  const gauge = (name: string, help: string, labelNames: string[], fill: (g: Gauge) => void | Promise<void>) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        await fill(this);
      },
    });
  gauge('herald_mta_queue_messages', 'Pending messages of sending deliveries: due now, or waiting for a later retry.', ['state'], async (g) => {
    const { q } = await queue();
    g.set({ state: 'due' }, q.due);
    g.set({ state: 'waiting' }, q.waiting);
  });
  gauge('herald_mta_queue_oldest_due_age_seconds', 'How long the longest-waiting due message has been due (0 when none is).', [], async (g) => {
    const { q, now } = await queue();
    g.set(q.oldestDueAt ? Math.max(0, (now.getTime() - q.oldestDueAt.getTime()) / 1000) : 0);
  });
  gauge('herald_mta_smtp_connections', 'Outgoing SMTP sessions open, busy sending or idle in the pool.', ['state'], (g) => {
    const pool = parts.transport.pool();
    g.set({ state: 'busy' }, pool.busy);
    g.set({ state: 'idle' }, pool.idle);
  });
  gauge('herald_mta_smtp_connection_waiters', 'Messages waiting for a session because their rule or domain has maxConnections open.', [], (g) =>
    g.set(parts.transport.pool().waiting),
  );
  gauge('herald_mta_messages_in_flight', 'Messages claimed and not yet settled.', [], (g) => g.set(parts.inFlight()));
  gauge('herald_mta_blocked_domains', 'Domains and domain rules blocked now (error rate, or by an operator).', [], (g) => g.set(parts.blockedKeys()));

  return {
    sent: (rule) => sent.inc({ rule }),
    failed: (rule, reason) => failed.inc({ rule, reason }),
    deferred: (rule, reason) => deferred.inc({ rule, reason }),
    throttled: (rule, kind) => (kind === 'block' ? blocks : waits).inc({ rule }),
    backoffWait: () => backoff.inc(),
  };
}
