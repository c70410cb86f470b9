import { Counter, Gauge } from 'prom-client';
import type { Registry } from '../shared/metrics/registry.js';
import type { SlotLedger } from './slot-ledger.js';

/**
 * The stat server's metrics: the MTAs registered and the (sending IP, key) pairs in use, read from
 * the ledger at scrape; the slots granted and the requests refused, counted as they happen. No
 * label: a key names a domain, which never goes into a label.
 */
export interface StatMetrics {
  granted(count: number): void;
  refused(): void;
}

export function registerStatMetrics(registry: Registry, ledger: SlotLedger): StatMetrics {
  new Gauge({
    name: 'herald_stat_registered_mtas',
    help: 'MTAs registered with the stat server now (their registration not lapsed).',
    registers: [registry],
    collect() {
      this.set(ledger.view(Date.now()).mtas);
    },
  });
  new Gauge({
    name: 'herald_stat_keys',
    help: 'Sending IP and MX rule (or domain) pairs the stat server paces now.',
    registers: [registry],
    collect() {
      this.set(ledger.view(Date.now()).slots.length);
    },
  });
  const granted = new Counter({ name: 'herald_stat_slots_granted_total', help: 'Sending slots (messages) granted to the MTAs.', registers: [registry] });
  const refused = new Counter({
    name: 'herald_stat_requests_refused_total',
    help: 'Requests refused: bad or missing signature, bad body, unknown MTA, or a bound of the ledger reached.',
    registers: [registry],
  });
  return { granted: (n) => granted.inc(n), refused: () => refused.inc() };
}
