import type { Socket } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import type { HeraldConfig } from '../shared/config/schema.js';
import { describeError } from '../shared/errors.js';
import { clearProblem, reportProblem } from '../shared/health.js';
import type { InmailMetrics } from './metrics.js';
import type { Logger } from '../shared/logger.js';
import { HeaderGuard } from './header-guard.js';
import type { Spool, SpoolEntry } from './spool.js';

/**
 * The bounce MX: smtp-server with every limit set explicitly (its defaults are unlimited), taking
 * mail only for the bounce domain. DATA is streamed to the spool and answered 250 only once the
 * message is on disk (fsync); processing happens later, outside this loop. On top of
 * smtp-server: a per-IP connection limit, a whole-session deadline and a shorter idle timeout
 * while the server is near its connection limit (Postfix's stress mode).
 */

type InmailConfig = HeraldConfig['inmail'];

export interface ReceiverDeps {
  inmail: InmailConfig;
  bounceDomain: string;
  verpPrefix: string;
  spool: Spool;
  onAccepted(entry: SpoolEntry): void;
  log: Logger;
  /** Sessions and messages, for the metrics. */
  metrics?: Pick<InmailMetrics, 'session' | 'received'>;
}

export interface Receiver {
  port: number;
  connections(): number;
  close(): Promise<void>;
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

/** The smtp-server options from the config: every limit explicit. */
export function smtpOptions(inmail: InmailConfig, bounceDomain: string): SMTPServerOptions {
  return {
    name: bounceDomain,
    banner: 'Herald inMail',
    size: inmail.maxMessageBytes,
    rejectOversized: true,
    maxClients: inmail.maxClients,
    maxRecipients: inmail.maxRecipients,
    maxCommandLength: inmail.maxCommandLength,
    maxAllowedUnauthenticatedCommands: inmail.maxUnauthenticatedCommands,
    socketTimeout: inmail.idleTimeoutMs,
    closeTimeout: inmail.closeTimeoutMs,
    disabledCommands: ['AUTH', 'STARTTLS'],
    hideSTARTTLS: true,
    authOptional: true,
    disableReverseLookup: true,
    useXClient: false,
    useXForward: false,
    useProxy: false,
    lmtp: false,
    logger: false,
  } as SMTPServerOptions;
}

const TOKEN = /^(?:[a-z2-7]{2,24}-[a-z2-7]{16}|unsubscribe-[A-Za-z0-9_-]{4,40}\.[A-Za-z0-9_-]{16})$/i;

/** Only the bounce domain: `<prefix>`, `<prefix>+<VERP or unsubscribe token>` and the configured extra local parts. */
export function acceptsRecipient(address: string, bounceDomain: string, verpPrefix: string, extra: readonly string[]): boolean {
  const at = address.lastIndexOf('@');
  if (at <= 0 || address.slice(at + 1).toLowerCase() !== bounceDomain.toLowerCase()) return false;
  const local = address.slice(0, at);
  const prefix = verpPrefix.toLowerCase();
  if (local.toLowerCase() === prefix || extra.includes(local.toLowerCase())) return true;
  return local.toLowerCase().startsWith(`${prefix}+`) && TOKEN.test(local.slice(prefix.length + 1));
}

async function receive(stream: SMTPServerDataStream, session: SMTPServerSession, deps: ReceiverDeps): Promise<SpoolEntry> {
  const guard = new HeaderGuard(deps.inmail.maxHeaderBytes, deps.inmail.maxReceivedHeaders);
  const writer = deps.spool.writer({
    mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
    rcptTo: session.envelope.rcptTo.map((r) => r.address),
    remoteAddress: session.remoteAddress,
    receivedAt: new Date().toISOString(),
  });
  let refused: Error | undefined;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (refused) continue;
      refused = guard.inspect(chunk) ?? (stream.sizeExceeded ? smtpError(552, 'Message exceeds fixed maximum message size') : undefined);
      if (!refused) await writer.write(chunk);
    }
    refused ??= guard.finish();
    if (refused) throw refused;
    const entry = await writer.finish();
    clearProblem('spool');
    return entry;
  } catch (err) {
    await writer.abort().catch(() => undefined);
    if ((err as { responseCode?: number }).responseCode) throw err;
    deps.log.error('INMAIL_SPOOL_FAILED', { err: describeError(err) });
    reportProblem('spool', `cannot write the spool: ${describeError(err)}`);
    throw smtpError(452, 'Insufficient system storage, try again later');
  }
}

/** The smtp-server hooks: per-IP limit at connect, bounce-domain recipients only, DATA to the spool. */
function hooks(deps: ReceiverDeps, perIp: ReadonlyMap<string, number>): Pick<SMTPServerOptions, 'onConnect' | 'onRcptTo' | 'onData'> {
  const { inmail, log } = deps;
  return {
    onConnect(session, callback) {
      if ((perIp.get(session.remoteAddress) ?? 0) > inmail.maxClientsPerIp) {
        log.warn('INMAIL_CONNECTION_REFUSED', { remote: session.remoteAddress, reason: 'too many connections from this address' });
        return callback(smtpError(421, 'Too many connections from your address, try again later'));
      }
      callback();
    },
    onRcptTo(address, _session, callback) {
      if (acceptsRecipient(address.address, deps.bounceDomain, deps.verpPrefix, inmail.acceptLocalParts)) return callback();
      callback(smtpError(550, 'Mailbox unavailable: this server only takes bounces for its own addresses'));
    },
    onData(stream, session, callback) {
      receive(stream, session, deps).then(
        (entry) => {
          deps.metrics?.received('accepted');
          deps.onAccepted(entry);
          callback(null, `Ok: queued as ${entry.id}`);
        },
        (err: Error & { responseCode?: number }) => {
          deps.metrics?.received('refused');
          log.info('INMAIL_MESSAGE_REFUSED', { remote: session.remoteAddress, code: err.responseCode, reason: err.message });
          callback(err);
        },
      );
    },
  };
}

export async function startReceiver(deps: ReceiverDeps): Promise<Receiver> {
  const perIp = new Map<string, number>();
  const sockets = new Set<Socket>();
  const server = new SMTPServer({ ...smtpOptions(deps.inmail, deps.bounceDomain), ...hooks(deps, perIp) });
  server.on('error', (err) => deps.log.debug('INMAIL_SMTP_ERROR', { reason: describeError(err) }));
  trackSockets(server, deps.inmail, perIp, sockets, deps.log, () => deps.metrics?.session());
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(deps.inmail.port, deps.inmail.host, () => resolve());
  });
  const address = server.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : deps.inmail.port,
    connections: () => sockets.size,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Per-IP counts, the session deadline and the overload idle timeout, on the raw sockets. */
function trackSockets(server: SMTPServer, inmail: InmailConfig, perIp: Map<string, number>, sockets: Set<Socket>, log: Logger, opened: () => void): void {
  let overloaded = false;
  const adjust = () => {
    const now = sockets.size > (inmail.maxClients * inmail.overloadPercent) / 100;
    if (now === overloaded) return;
    overloaded = now;
    for (const s of sockets) s.setTimeout(now ? inmail.overloadIdleTimeoutMs : inmail.idleTimeoutMs);
  };
  server.server.on('connection', (socket: Socket) => {
    const ip = socket.remoteAddress ?? '';
    opened();
    perIp.set(ip, (perIp.get(ip) ?? 0) + 1);
    sockets.add(socket);
    const deadline = setTimeout(() => {
      log.info('INMAIL_SESSION_EXPIRED', { remote: ip });
      socket.destroy();
    }, inmail.sessionTimeoutMs);
    deadline.unref();
    adjust();
    if (overloaded) socket.setTimeout(inmail.overloadIdleTimeoutMs);
    socket.once('close', () => {
      clearTimeout(deadline);
      sockets.delete(socket);
      const left = (perIp.get(ip) ?? 1) - 1;
      if (left > 0) perIp.set(ip, left);
      else perIp.delete(ip);
      adjust();
    });
  });
}
