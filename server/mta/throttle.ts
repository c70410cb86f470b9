import type { Database } from '../db/connect.js';
import { activeBlocks, blockKey, recentUnblocks, rescheduleDomain, reserveMessages } from '../db/repos/mta-throttle.js';
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
 * The error rate counts distinct messages: of the messages whose first attempt reached the
 * server, those refused with a temporary error and not accepted since. Connection failures are not
 * in it (they lead to the short back-off of domain-backoff.ts), and a domain is blocked only while
 * this MTA still sees it refusing most messages: a domain that accepts again is never blocked. The
 * database holds the blocks: they are re-read every few seconds, so a block lifted there (`herald
 * mta unblock`, the console) is honoured at once by every MTA, and the error rate of the hour before
 * an unblock does not block the domain again.
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
  /** Refused because the domain or its rule is blocked (else: its rate). */
  blocked?: boolean;
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
  /** Error-rate blocks from the database, per key (re-read by refreshBlocks). */
  private blocks = new Map<string, { untilMs: number; reason: string }>();
  /** This MTA's message-level outcomes per domain since the last review. */
  private recent = new Map<string, { attempts: number; errors: number }>();

  constructor(
    private readonly db: Database,
    private options: ThrottleOptions,
    private readonly log: Logger,
  ) {}

  /** New thresholds (a reload): the next grants and reviews use them. */
  setOptions(options: ThrottleOptions): void {
    this.options = options;
  }

  /** Live MTA processes sharing the connection limits (from the heartbeat). */
  setInstances(count: number): void {
    this.instances = Math.max(1, count);
  }

  maxConnections(limits: DomainLimits): number {
    const max = Math.max(1, Math.floor(limits.rule.maxConnections / this.instances));
    return this.slowed.has(limits.key) ? Math.max(1, Math.floor(max / 2)) : max;
  }

  /** Whether one more message for `limits.key` may go now; `pending` sizes the next grant request. */
  async admit(limits: DomainLimits, pending: number, now: Date, domain?: string): Promise<Admission> {
    for (const key of domain ? [limits.key, `domain:${domain}`] : [limits.key]) {
      const block = this.blocks.get(key);
      if (block && block.untilMs > now.getTime()) return { ok: false, retryAtMs: block.untilMs, reason: block.reason, blocked: true };
    }
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
        } else if (grant.blockedReason) this.blocks.set(key, { untilMs: grant.retryAtMs, reason: grant.blockedReason });
        else this.waitUntil.set(key, { atMs: grant.retryAtMs });
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

  /** A message-level outcome for `domain` (the message reached the server), for the block's "still refusing" check. */
  observe(domain: string, refusedTemporarily: boolean): void {
    const r = this.recent.get(domain) ?? { attempts: 0, errors: 0 };
    r.attempts++;
    if (refusedTemporarily) r.errors++;
    this.recent.set(domain, r);
  }

  /**
   * Re-reads the blocks from the database: a block lifted there stops holding messages back here
   * (its spread retry times are forgotten too, and the messages this MTA pushed back since the
   * unblock are made due again); a block set by another MTA applies here.
   */
  async refreshBlocks(now: Date): Promise<void> {
    const fresh = await activeBlocks(this.db, now);
    const lifted = [...this.blocks.entries()].filter(([key, b]) => !fresh.has(key) && b.untilMs > now.getTime()).map(([key]) => key);
    this.blocks = new Map([...fresh].map(([key, b]) => [key, { untilMs: b.untilMs, reason: b.reason }]));
    for (const key of lifted) {
      this.backlog.delete(key);
      this.waitUntil.delete(key);
      const rescheduled = key.startsWith('domain:') ? await rescheduleDomain(this.db, domainOf(key), now) : 0;
      this.log.info('MTA_DOMAIN_UNBLOCKED', { domain: domainOf(key), rescheduled });
    }
  }

  /** Blocked keys now (for status). */
  blockedKeys(): string[] {
    return [...this.blocks.keys()];
  }

  /** Re-reads the last hour's error rates of every domain and slows or blocks the bad ones. */
  async reviewErrorRates(now: Date): Promise<void> {
    const since = new Date(now.getTime() - 3_600_000);
    const rates = await recentErrorRates(this.db, since);
    const unblocked = await recentUnblocks(this.db, since);
    const recent = this.recent;
    this.recent = new Map();
    const slowed = new Map<string, { rate: number; messages: number }>();
    for (const [domain, { messages, errors }] of rates) {
      if (messages < this.options.errorBlockMinMessages) continue;
      const rate = errors / messages;
      const key = `domain:${domain}`;
      const mine = recent.get(domain);
      const stillRefusing = mine !== undefined && mine.attempts > 0 && mine.errors / mine.attempts >= this.options.errorBlockRate;
      if (rate >= this.options.errorBlockRate && this.options.errorBlockHours > 0 && stillRefusing && !unblocked.has(key)) {
        const current = this.blocks.get(key);
        if (current && current.untilMs > now.getTime()) continue;
        const until = now.getTime() + this.options.errorBlockHours * 3_600_000;
        const reason = `${Math.round(rate * 100)}% of ${messages} messages refused in the last hour`;
        await blockKey(this.db, key, until, reason, now);
        this.blocks.set(key, { untilMs: until, reason });
        this.tokens.delete(key);
        this.log.warn('MTA_DOMAIN_BLOCKED', { domain, errorRate: rate, messages, untilMs: until });
      } else if (rate >= this.options.errorSlowRate) slowed.set(key, { rate, messages });
    }
    for (const [key, { rate, messages }] of slowed)
      if (!this.slowed.has(key)) this.log.warn('MTA_DOMAIN_SLOWED', { domain: domainOf(key), errorRate: rate, messages });
    this.slowed = new Set(slowed.keys());
  }
}

const domainOf = (key: string) => key.replace(/^domain:/, '');
