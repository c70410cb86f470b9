import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { outcomeFromError, type Outcome } from '../smtp-outcome.js';
import type { ConnectionSecurity } from './tls-policy.js';
import type { Destination, OutboundMessage, SessionLimits, Transport } from './types.js';

/**
 * SMTP out, with pooled sessions per throttle key: a session is reused for up to
 * maxMessagesPerConnection messages, at most maxConnections are open per key, idle sessions close
 * after idleMs. Opening a session walks the destination's hosts in order (fallback to the next MX
 * when one refuses or times out). A message refused by the server (RCPT/DATA) resets the session
 * and keeps it; anything else closes it. Each destination says how to secure its connections
 * (tls-policy.ts): STARTTLS mode, implicit TLS, certificate verification, and the relay login, which
 * is only ever sent over TLS.
 *
 * One method per concern: `connectionOptions` (how one host is reached: TLS, timeouts), `connect`
 * (one connection, logged in), `openSession` (the MX walk), `acquire` / `release` (the pool),
 * `transmit` (one SMTP transaction) and `send` (a message's outcome).
 */

export interface SmtpOptions {
  heloName: string;
  connectTimeoutMs: number;
  greetingTimeoutMs: number;
  socketTimeoutMs: number;
  idleMs: number;
  /** PEM of extra certificate authorities trusted besides the system ones (mta.tlsCaFile). */
  extraCa?: string;
}

/** A destination that says nothing: STARTTLS when offered, no verification, no login. */
const OPPORTUNISTIC: ConnectionSecurity = { tls: 'opportunistic', implicit: false, verify: false };

interface Session {
  conn: SMTPConnection;
  messages: number;
  idleTimer?: NodeJS.Timeout;
}

/** The sessions of one throttle key: idle ones, how many are open, and who waits for one. */
interface Pool {
  idle: Session[];
  open: number;
  waiters: Array<() => void>;
}

export class SmtpTransport implements Transport {
  readonly name = 'smtp';
  private readonly pools = new Map<string, Pool>();
  private readonly sessions = new Set<Session>();
  private closing = false;

  constructor(protected readonly options: SmtpOptions) {}

  send(message: OutboundMessage, destination: Destination, limits: SessionLimits): Promise<Outcome> {
    return this.sendOnce(message, destination, limits, false);
  }

  openSessions(key: string): number {
    return this.pools.get(key)?.open ?? 0;
  }

  pool(): { busy: number; idle: number; waiting: number } {
    const sum = { busy: 0, idle: 0, waiting: 0 };
    for (const p of this.pools.values()) {
      sum.idle += p.idle.length;
      sum.busy += p.open - p.idle.length;
      sum.waiting += p.waiters.length;
    }
    return sum;
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const pool of this.pools.values()) {
      for (const s of pool.idle) clearTimeout(s.idleTimer);
      pool.idle.length = 0;
    }
    for (const s of this.sessions) s.conn.quit();
    this.sessions.clear();
  }

  /** How one host is reached: TLS policy, certificate checks and timeouts. */
  protected connectionOptions(host: string, port: number, security: ConnectionSecurity): SMTPConnection.Options {
    const ca = this.options.extraCa ? [...rootCertificates, this.options.extraCa] : undefined;
    return {
      host,
      port,
      name: this.options.heloName,
      secure: security.implicit,
      ignoreTLS: security.tls === 'disabled' && !security.implicit,
      requireTLS: security.tls === 'required',
      opportunisticTLS: security.tls === 'opportunistic',
      tls: { rejectUnauthorized: security.verify, ...(isIP(host) ? {} : { servername: host }), ...(ca ? { ca } : {}) },
      connectionTimeout: this.options.connectTimeoutMs,
      greetingTimeout: this.options.greetingTimeoutMs,
      socketTimeout: this.options.socketTimeoutMs,
      socketCloseTimeout: 0,
    };
  }

  /** One connection to one host, logged in when the destination carries credentials — and only over TLS. */
  protected connect(host: string, port: number, security: ConnectionSecurity): Promise<SMTPConnection> {
    const auth = security.auth;
    return new Promise<SMTPConnection>((resolve, reject) => {
      const conn = new SMTPConnection(this.connectionOptions(host, port, security));
      conn.once('error', reject);
      conn.connect(() => {
        const ready = () => {
          conn.removeListener('error', reject);
          conn.on('error', () => undefined);
          resolve(conn);
        };
        if (!auth) return ready();
        // Never a password in clear, whatever the server offers or a man in the middle strips.
        if (!conn.secure)
          return (
            conn.close(),
            reject(
              Object.assign(new Error('the relay did not secure the connection with TLS: the password is not sent'), { code: 'ETLS', command: 'STARTTLS' }),
            )
          );
        conn.login(auth, (err) => (err ? (conn.close(), reject(err)) : ready()));
      });
    });
  }

  /** A new session: the destination's hosts in order, the next one when a host refuses or times out. */
  private async openSession(destination: Destination): Promise<Session> {
    let lastError: unknown = new Error(`no host for ${destination.domain}`);
    for (const { host, port } of destination.hosts) {
      try {
        const session: Session = { conn: await this.connect(host, port, destination.security ?? OPPORTUNISTIC), messages: 0 };
        this.sessions.add(session);
        session.conn.once('end', () => this.sessions.delete(session));
        return session;
      } catch (err) {
        lastError = err;
        const code = (err as { responseCode?: number }).responseCode;
        if (code !== undefined && code >= 500 && code !== 554) break; // a permanent greeting refusal: no other MX will differ
      }
    }
    throw lastError;
  }

  private poolOf(key: string): Pool {
    let pool = this.pools.get(key);
    if (!pool) this.pools.set(key, (pool = { idle: [], open: 0, waiters: [] }));
    return pool;
  }

  /** An idle session of the key, else a new one within maxConnections, else waits for one. */
  private async acquire(destination: Destination, limits: SessionLimits): Promise<{ session: Session; reused: boolean }> {
    const pool = this.poolOf(limits.key);
    for (;;) {
      const idle = pool.idle.pop();
      if (idle) {
        clearTimeout(idle.idleTimer);
        if (!idle.conn.destroyed) return { session: idle, reused: true };
        pool.open--;
        continue;
      }
      if (pool.open < limits.maxConnections) {
        pool.open++;
        try {
          return { session: await this.openSession(destination), reused: false };
        } catch (err) {
          pool.open--;
          pool.waiters.shift()?.();
          throw err;
        }
      }
      await new Promise<void>((resolve) => pool.waiters.push(resolve));
    }
  }

  /** Back to the pool (closed after idleMs unused), or closed when it cannot serve another message. */
  private release(session: Session, reusable: boolean, limits: SessionLimits): void {
    const pool = this.poolOf(limits.key);
    if (reusable && !this.closing && !session.conn.destroyed && session.messages < limits.maxMessagesPerConnection) {
      session.idleTimer = setTimeout(() => {
        const i = pool.idle.indexOf(session);
        if (i >= 0) {
          pool.idle.splice(i, 1);
          pool.open--;
          session.conn.quit();
          pool.waiters.shift()?.();
        }
      }, this.options.idleMs);
      session.idleTimer.unref();
      pool.idle.push(session);
    } else {
      pool.open--;
      session.conn.quit();
    }
    pool.waiters.shift()?.();
  }

  /** One SMTP transaction on a session. */
  private transmit(session: Session, message: OutboundMessage): Promise<{ response: string }> {
    return new Promise((resolve, reject) =>
      session.conn.send({ from: message.envelope.from, to: [message.envelope.to] }, message.raw, (err, info) =>
        err ? reject(err) : resolve({ response: String(info.response ?? '250') }),
      ),
    );
  }

  private async sendOnce(message: OutboundMessage, destination: Destination, limits: SessionLimits, retried: boolean): Promise<Outcome> {
    let acquired: { session: Session; reused: boolean };
    try {
      acquired = await this.acquire(destination, limits);
    } catch (err) {
      return outcomeFromError(err);
    }
    const { session, reused } = acquired;
    session.messages++;
    try {
      const { response } = await this.transmit(session, message);
      this.release(session, true, limits);
      return { kind: 'sent', response };
    } catch (err) {
      const e = err as { code?: string; responseCode?: number };
      const refused = (e.code === 'EENVELOPE' || e.code === 'EMESSAGE') && e.responseCode !== 421 && !session.conn.destroyed;
      if (refused) await new Promise<void>((resolve) => session.conn.reset((resetErr) => (this.release(session, !resetErr, limits), resolve())));
      else this.release(session, false, limits);
      // A reused session the server dropped while idle: nothing was sent, try once on a fresh one.
      if (!refused && reused && !retried && e.responseCode === undefined) return this.sendOnce(message, destination, limits, true);
      return outcomeFromError(err, true);
    }
  }
}
