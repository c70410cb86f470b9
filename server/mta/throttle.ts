import type { Database } from '../db/connect.js';
import { blockKey, reserveMessages } from '../db/repos/mta-throttle.js';
import { recentErrorRates } from '../db/repos/smtp-stats.js';
import type { Logger } from '../shared/logger.js';
import type { DomainLimits } from './domain-rules.js';

/**
 * Per-key admission for the sender (Adobe's stat server, through the database): messages per hour
 * paced by a shared GCRA, a global rate under the key "global", connection limits divided between
 * the live MTA processes, and the error-rate guard — a domain whose error rate in the last hour
 * reaches errorSlowRate is slowed to half, one reaching errorBlockRate is blocked for
 * errorBlockHours. Grants are fetched in small batches (about one second of traffic) and spent locally.
 */

export interface ThrottleOptions {
  globalMessagesPerSecond: number;
  errorBlockMinMessages: number;
  errorBlockRate: number;
  errorSlowRate: number;
  errorBlockHours: number;
}

export interface Admission {
  ok: boolean;
  /** When not admitted: epoch ms to try again. */
  retryAtMs: number;
  reason?: string;
}

const BURST_MS = 1000;

export class Throttle {
  private readonly tokens = new Map<string, number>();
  private readonly waitUntil = new Map<string, { atMs: number; reason?: string }>();
  private slowed = new Set<string>();
  private instances = 1;

  constructor(
    private readonly db: Database,
    private readonly options: ThrottleOptions,
    private readonly log: Logger,
  ) {}

  /** Live MTA processes sharing the connection limits (from the heartbeat). */
  setInstances(count: number): void {
    this.instances = Math.max(1, count);
  }

  maxConnections(limits: DomainLimits): number {
    const max = Math.max(1, Math.floor(limits.rule.maxConnections / this.instances));
    return this.slowed.has(limits.key) ? Math.max(1, Math.floor(max / 2)) : max;
  }

  /** Whether one more message for `limits.key` may go now; `pending` sizes the next grant request. */
  async admit(limits: DomainLimits, pending: number, now: Date): Promise<Admission> {
    for (const [key, perHour] of this.keysFor(limits)) {
      const verdict = await this.take(key, perHour, pending, now);
      if (!verdict.ok) return verdict;
    }
    return { ok: true, retryAtMs: 0 };
  }

  private keysFor(limits: DomainLimits): Array<[string, number]> {
    const perHour = limits.rule.messagesPerHour > 0 ? limits.rule.messagesPerHour / (this.slowed.has(limits.key) ? 2 : 1) : 0;
    const keys: Array<[string, number]> = [[limits.key, perHour]];
    if (this.options.globalMessagesPerSecond > 0) keys.push(['global', this.options.globalMessagesPerSecond * 3600]);
    return keys;
  }

  private async take(key: string, perHour: number, pending: number, now: Date): Promise<Admission> {
    const left = this.tokens.get(key) ?? 0;
    if (left > 0) {
      this.tokens.set(key, left - 1);
      return { ok: true, retryAtMs: 0 };
    }
    const wait = this.waitUntil.get(key);
    if (wait && wait.atMs > now.getTime()) return { ok: false, retryAtMs: wait.atMs, reason: wait.reason };
    const intervalMs = perHour > 0 ? 3_600_000 / perHour : 0;
    const wanted = intervalMs > 0 ? Math.max(1, Math.min(pending, Math.floor(BURST_MS / intervalMs))) : Math.max(1, pending);
    const grant = await reserveMessages(this.db, key, wanted, intervalMs, BURST_MS, now);
    if (grant.granted === 0) {
      this.waitUntil.set(key, { atMs: grant.retryAtMs, reason: grant.blockedReason });
      return { ok: false, retryAtMs: grant.retryAtMs, reason: grant.blockedReason };
    }
    this.waitUntil.delete(key);
    this.tokens.set(key, grant.granted - 1);
    return { ok: true, retryAtMs: 0 };
  }

  /** Re-reads the last hour's error rates of every domain and slows or blocks the bad ones. */
  async reviewErrorRates(now: Date): Promise<void> {
    const rates = await recentErrorRates(new Date(now.getTime() - 3_600_000));
    const slowed = new Set<string>();
    for (const [domain, { messages, errors }] of rates) {
      if (messages < this.options.errorBlockMinMessages) continue;
      const rate = errors / messages;
      const key = `domain:${domain}`;
      if (rate >= this.options.errorBlockRate && this.options.errorBlockHours > 0) {
        const until = now.getTime() + this.options.errorBlockHours * 3_600_000;
        const current = this.waitUntil.get(key);
        if (!current || current.atMs < now.getTime()) {
          const reason = `${Math.round(rate * 100)}% errors over ${messages} messages in the last hour`;
          await blockKey(this.db, key, until, reason, now);
          this.waitUntil.set(key, { atMs: until, reason });
          this.tokens.delete(key);
          this.log.warn('MTA_DOMAIN_BLOCKED', { domain, errorRate: rate, messages, untilMs: until });
        }
      } else if (rate >= this.options.errorSlowRate) slowed.add(key);
    }
    for (const key of slowed) if (!this.slowed.has(key)) this.log.warn('MTA_DOMAIN_SLOWED', { key });
    this.slowed = slowed;
  }
}
