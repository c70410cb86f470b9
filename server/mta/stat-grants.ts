import type { Grant } from '../db/repos/mta-throttle.js';
import { describeError } from '../shared/errors.js';
import { clearProblem, reportProblem } from '../shared/health.js';
import type { Logger } from '../shared/logger.js';
import { StatRefused, type StatClient } from '../shared/stat-client.js';
import type { GrantSource } from './throttle.js';

/**
 * Grants from the stat server, with the local limits as the fallback: while the server answers,
 * every slot comes from it (one set of limits for every MTA registered with it, on any machine);
 * when a request fails or times out, the MTA says so once (MTA_STAT_SERVER_DOWN, and `herald
 * status` shows the module unhealthy: "stat: …") and takes its grants from the database's pacing
 * until a registration (every REGISTER_MS) succeeds again (MTA_STAT_SERVER_BACK).
 */
export const REGISTER_MS = 2000;

export interface StatIdentity {
  /** The lease owner name: unique per MTA process. */
  mta: string;
  /** mta.publicIp, or "default". */
  ip: string;
}

export class StatGrants implements GrantSource {
  private up = false;
  private downSince: number | undefined;
  private sharedPeers: number | undefined;

  constructor(
    private readonly client: StatClient,
    private readonly local: GrantSource,
    private readonly identity: StatIdentity,
    private readonly log: Logger,
  ) {}

  peers(): number | undefined {
    return this.up ? this.sharedPeers : this.local.peers();
  }

  status(): { statServer: string; statPeers?: number } {
    return this.up ? { statServer: 'up', statPeers: this.sharedPeers } : { statServer: 'down (local limits)' };
  }

  async reserve(key: string, wanted: number, intervalMs: number, burstMs: number, now: Date): Promise<Grant> {
    if (this.up) {
      try {
        return await this.fromServer(key, wanted, intervalMs);
      } catch (err) {
        this.down(err);
      }
    }
    return this.local.reserve(key, wanted, intervalMs, burstMs, now);
  }

  /** Registers (or renews) this MTA with its connections per key; the probe that brings the server back. */
  async register(connections: Record<string, number>): Promise<void> {
    try {
      const answer = await this.client.register({ ...this.identity, connections });
      this.sharedPeers = answer.peers;
      if (!this.up) {
        this.up = true;
        clearProblem('stat');
        if (this.downSince !== undefined)
          this.log.info('MTA_STAT_SERVER_BACK', { server: this.client.server, peers: answer.peers, downMs: Date.now() - this.downSince });
        this.downSince = undefined;
      }
    } catch (err) {
      this.down(err);
    }
  }

  close(): void {
    this.client.close();
  }

  private async fromServer(key: string, wanted: number, intervalMs: number): Promise<Grant> {
    const request = { ...this.identity, key, wanted, intervalMs };
    try {
      return await this.client.grant(request);
    } catch (err) {
      // the server restarted (or this registration lapsed): register again, then ask once more
      if (!(err instanceof StatRefused && err.refused === 'unregistered')) throw err;
      await this.client.register({ ...this.identity, connections: {} });
      return await this.client.grant(request);
    }
  }

  private down(err: unknown): void {
    if (!this.up && this.downSince !== undefined) return;
    this.up = false;
    this.downSince = Date.now();
    const reason = describeError(err);
    reportProblem('stat', `stat server ${this.client.server} unreachable (${reason}): local limits`);
    this.log.warn('MTA_STAT_SERVER_DOWN', { server: this.client.server, reason });
  }
}
