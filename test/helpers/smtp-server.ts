import type { AddressInfo, Socket } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

/**
 * A real SMTP server on 127.0.0.1:0 playing a remote MX in tests. `reply` decides, per recipient
 * and per stage, what the server answers (default: accept everything); every accepted message is kept.
 */
export interface Received {
  from: string;
  to: string[];
  raw: Buffer;
  /** The SMTP session (connection) that carried the message. */
  session: string;
}

export interface SmtpBehaviour {
  /** Return an error reply (e.g. { code: 550, message: '5.1.1 User unknown' }) or undefined to accept. */
  rcpt?(address: string, attempt: number): { code: number; message: string } | undefined;
  data?(to: string[], attempt: number): { code: number; message: string } | undefined;
  /** Milliseconds to wait before answering DATA (a slow server). */
  dataDelayMs?: number;
  /** Drop the connection right after the greeting with a 421. */
  greeting421?: boolean;
}

export interface TestSmtpServer {
  port: number;
  received: Received[];
  connections: number;
  /** Most sessions open at the same time. */
  maxConcurrent: number;
  rcptAttempts: Map<string, number>;
  close(): Promise<void>;
  /** The MX goes down: stops listening (connections are refused) and drops every open session. */
  stop(): Promise<void>;
  /** The MX comes back on the same port. */
  restart(): Promise<void>;
}

export async function startSmtpServer(behaviour: SmtpBehaviour = {}): Promise<TestSmtpServer> {
  const state: TestSmtpServer = {
    port: 0,
    received: [],
    connections: 0,
    maxConcurrent: 0,
    rcptAttempts: new Map(),
    close: async () => undefined,
    stop: async () => undefined,
    restart: async () => undefined,
  };
  const sockets = new Set<Socket>();
  let open = 0;
  const dataAttempts = new Map<string, number>();
  const fail = (r: { code: number; message: string }) => Object.assign(new Error(r.message), { responseCode: r.code });
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    size: 50 * 1024 * 1024,
    onConnect(session: SMTPServerSession, cb: (err?: Error) => void) {
      state.connections++;
      state.maxConcurrent = Math.max(state.maxConcurrent, ++open);
      if (behaviour.greeting421) return cb(Object.assign(new Error('4.3.2 Service shutting down, try later'), { responseCode: 421 }));
      cb();
    },
    onClose() {
      open--;
    },
    onRcptTo(address, _session, cb) {
      const n = (state.rcptAttempts.get(address.address) ?? 0) + 1;
      state.rcptAttempts.set(address.address, n);
      const r = behaviour.rcpt?.(address.address, n);
      cb(r ? fail(r) : undefined);
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, cb: (err?: Error | null) => void) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((a) => a.address);
        const key = to.join(',');
        const n = (dataAttempts.get(key) ?? 0) + 1;
        dataAttempts.set(key, n);
        const answer = () => {
          const r = behaviour.data?.(to, n);
          if (r) return cb(fail(r));
          state.received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to,
            raw: Buffer.concat(chunks),
            session: session.id,
          });
          cb(null);
        };
        if (behaviour.dataDelayMs) setTimeout(answer, behaviour.dataDelayMs);
        else answer();
      });
    },
  });
  server.on('error', () => undefined);
  server.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.server.address() as AddressInfo).port;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  state.stop = async () => {
    const closed = new Promise<void>((resolve) => server.server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  state.restart = () => new Promise<void>((resolve) => server.server.listen(state.port, '127.0.0.1', resolve));
  return state;
}
