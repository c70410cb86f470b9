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
 *
 * A message refused by a rate is put back with its own retry time: the refused messages of a key
 * are spread one pacing interval apart after its next grant, so a campaign far above a domain's
 * rate comes back at that rate instead of all at once (each message is claimed about twice, not
 * once a second until its turn).
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
  /** Grant requests in flight, per key. */
  private readonly granting = new Map<string, Promise<void>>();
  /** Per key, the next retry time to hand to a refused message (epoch ms). */
  private readonly backlog = new Map<string, number>();
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

  /**
   * Forgets the spread retry times (a delivery stopped or was paused: its refused messages will
   * not come back at them, and later ones should not queue behind them).
   */
  forgetBacklog(): void {
    this.backlog.clear();
  }

  private async take(key: string, perHour: number, pending: number, now: Date): Promise<Admission> {
    const intervalMs = perHour > 0 ? 3_600_000 / perHour : 0;
    for (let requests = 0; ; requests++) {
      const left = this.tokens.get(key) ?? 0;
      if (left > 0) {
        this.tokens.set(key, left - 1);
        return { ok: true, retryAtMs: 0 };
      }
      const wait = this.waitUntil.get(key);
      if (wait && wait.atMs > now.getTime()) return this.refused(key, wait.atMs, intervalMs, wait.reason);
      if (requests === 2) return this.refused(key, now.getTime() + Math.max(intervalMs, 100), intervalMs, undefined);
      await (this.granting.get(key) ?? this.requestGrant(key, intervalMs, pending, now));
    }
  }

  /**
   * One grant request per key at a time; the messages waiting for it share what it brings (added
   * to the key's tokens before any of them goes on, so none is lost).
   */
  private requestGrant(key: string, intervalMs: number, pending: number, now: Date): Promise<void> {
    const wanted = intervalMs > 0 ? Math.max(1, Math.min(pending, Math.floor(BURST_MS / intervalMs))) : Math.max(1, pending);
    const request = reserveMessages(this.db, key, wanted, intervalMs, BURST_MS, now)
      .then((grant) => {
        if (grant.granted > 0) {
          this.tokens.set(key, (this.tokens.get(key) ?? 0) + grant.granted);
          this.waitUntil.delete(key);
        } else this.waitUntil.set(key, { atMs: grant.retryAtMs, reason: grant.blockedReason });
      })
      .finally(() => this.granting.delete(key));
    this.granting.set(key, request);
    return request;
  }

  /** The retry time of a refused message: the key's next free slot, at the earliest `atMs`. */
  private refused(key: string, atMs: number, intervalMs: number, reason: string | undefined): Admission {
    const slot = Math.max(atMs, this.backlog.get(key) ?? 0);
    this.backlog.set(key, slot + intervalMs);
    return { ok: false, retryAtMs: slot, reason };
  }

  /** Re-reads the last hour's error rates of every domain and slows or blocks the bad ones. */
  async reviewErrorRates(now: Date): Promise<void> {
    const rates = await recentErrorRates(this.db, new Date(now.getTime() - 3_600_000));
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
