import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { outcomeFromError, type Outcome } from '../smtp-outcome.js';
import type { Destination, OutboundMessage, SessionLimits, Transport } from './types.js';

/**
 * SMTP out, with pooled sessions per throttle key: a session is reused for up to
 * maxMessagesPerConnection messages, at most maxConnections are open per key, idle sessions close
 * after idleMs. Opening a session walks the destination's hosts in order (fallback to the next MX
 * when one refuses or times out). A message refused by the server (RCPT/DATA) resets the session
 * and keeps it; anything else closes it.
 */

export interface SmtpOptions {
  heloName: string;
  tls: 'opportunistic' | 'required' | 'disabled';
  connectTimeoutMs: number;
  greetingTimeoutMs: number;
  socketTimeoutMs: number;
  idleMs: number;
  auth?: { user: string; pass: string };
}

interface Session {
  conn: SMTPConnection;
  messages: number;
  idleTimer?: NodeJS.Timeout;
}

interface Pool {
  idle: Session[];
  open: number;
  waiters: Array<() => void>;
}

export function smtpTransport(options: SmtpOptions): Transport {
  const pools = new Map<string, Pool>();
  const all = new Set<Session>();
  let closing = false;

  const poolOf = (key: string) => {
    let pool = pools.get(key);
    if (!pool) pools.set(key, (pool = { idle: [], open: 0, waiters: [] }));
    return pool;
  };

  const connectionOptions = (host: string, port: number) => ({
    host,
    port,
    name: options.heloName,
    secure: false,
    ignoreTLS: options.tls === 'disabled',
    requireTLS: options.tls === 'required',
    opportunisticTLS: options.tls === 'opportunistic',
    tls: { rejectUnauthorized: false, servername: host },
    connectionTimeout: options.connectTimeoutMs,
    greetingTimeout: options.greetingTimeoutMs,
    socketTimeout: options.socketTimeoutMs,
    socketCloseTimeout: 0,
  });

  const connect = (host: string, port: number) =>
    new Promise<SMTPConnection>((resolve, reject) => {
      const conn = new SMTPConnection(connectionOptions(host, port));
      conn.once('error', reject);
      conn.connect(() => {
        const ready = () => {
          conn.removeListener('error', reject);
          conn.on('error', () => undefined);
          resolve(conn);
        };
        if (!options.auth) return ready();
        conn.login(options.auth, (err) => (err ? (conn.close(), reject(err)) : ready()));
      });
    });

  async function openSession(destination: Destination): Promise<Session> {
    let lastError: unknown = new Error(`no host for ${destination.domain}`);
    for (const { host, port } of destination.hosts) {
      try {
        const session: Session = { conn: await connect(host, port), messages: 0 };
        all.add(session);
        session.conn.once('end', () => all.delete(session));
        return session;
      } catch (err) {
        lastError = err;
        const code = (err as { responseCode?: number }).responseCode;
        if (code !== undefined && code >= 500 && code !== 554) break; // a permanent greeting refusal: no other MX will differ
      }
    }
    throw lastError;
  }

  async function acquire(key: string, destination: Destination, limits: SessionLimits): Promise<{ session: Session; reused: boolean }> {
    const pool = poolOf(key);
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
          return { session: await openSession(destination), reused: false };
        } catch (err) {
          pool.open--;
          pool.waiters.shift()?.();
          throw err;
        }
      }
      await new Promise<void>((resolve) => pool.waiters.push(resolve));
    }
  }

  function release(key: string, session: Session, reusable: boolean, limits: SessionLimits): void {
    const pool = poolOf(key);
    if (reusable && !closing && !session.conn.destroyed && session.messages < limits.maxMessagesPerConnection) {
      session.idleTimer = setTimeout(() => {
        const i = pool.idle.indexOf(session);
        if (i >= 0) {
          pool.idle.splice(i, 1);
          pool.open--;
          session.conn.quit();
          pool.waiters.shift()?.();
        }
      }, options.idleMs);
      session.idleTimer.unref();
      pool.idle.push(session);
    } else {
      pool.open--;
      session.conn.quit();
    }
    pool.waiters.shift()?.();
  }

  const transmit = (session: Session, message: OutboundMessage) =>
    new Promise<{ response: string }>((resolve, reject) =>
      session.conn.send({ from: message.envelope.from, to: [message.envelope.to] }, message.raw, (err, info) =>
        err ? reject(err) : resolve({ response: String(info.response ?? '250') }),
      ),
    );

  async function send(message: OutboundMessage, destination: Destination, limits: SessionLimits, retried = false): Promise<Outcome> {
    let acquired: { session: Session; reused: boolean };
    try {
      acquired = await acquire(limits.key, destination, limits);
    } catch (err) {
      return outcomeFromError(err);
    }
    const { session, reused } = acquired;
    session.messages++;
    try {
      const { response } = await transmit(session, message);
      release(limits.key, session, true, limits);
      return { kind: 'sent', response };
    } catch (err) {
      const e = err as { code?: string; responseCode?: number };
      const refused = (e.code === 'EENVELOPE' || e.code === 'EMESSAGE') && e.responseCode !== 421 && !session.conn.destroyed;
      if (refused) await new Promise<void>((resolve) => session.conn.reset((resetErr) => (release(limits.key, session, !resetErr, limits), resolve())));
      else release(limits.key, session, false, limits);
      // A reused session the server dropped while idle: nothing was sent, try once on a fresh one.
      if (!refused && reused && !retried && e.responseCode === undefined) return send(message, destination, limits, true);
      return outcomeFromError(err);
    }
  }

  return {
    name: 'smtp',
    send: (message, destination, limits) => send(message, destination, limits),
    openSessions: (key) => pools.get(key)?.open ?? 0,
    async close() {
      closing = true;
      for (const pool of pools.values()) {
        for (const s of pool.idle) clearTimeout(s.idleTimer);
        pool.idle.length = 0;
      }
      for (const s of all) s.conn.quit();
      all.clear();
    },
  };
}
