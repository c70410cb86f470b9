import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server that keeps no message, only who got one and through which listener: one
 * listener per sending node (each on the address that node reaches), so a duplicate can be traced
 * to the nodes that sent it. Built for tens of thousands of messages.
 */
export interface CountingSink {
  /** Per recipient, the label of the listener of each copy received, in arrival order. */
  copies: Map<string, string[]>;
  /** When each message arrived (epoch ms), in arrival order. */
  arrivals: number[];
  /** Messages received per listener label. */
  perLabel: Map<string, number>;
  total(): number;
  /** The port of each label's listener. */
  ports: Map<string, number>;
  close(): Promise<void>;
}

export async function startCountingSink(listeners: ReadonlyArray<{ label: string; host: string }>): Promise<CountingSink> {
  const sink: CountingSink = { copies: new Map(), arrivals: [], perLabel: new Map(), total: () => count, ports: new Map(), close: async () => undefined };
  let count = 0;
  const servers: SMTPServer[] = [];
  for (const { label, host } of listeners) {
    sink.perLabel.set(label, 0);
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        stream.on('data', () => undefined);
        stream.on('end', () => {
          for (const r of session.envelope.rcptTo) {
            const seen = sink.copies.get(r.address);
            if (seen) seen.push(label);
            else sink.copies.set(r.address, [label]);
          }
          count++;
          sink.arrivals.push(Date.now());
          sink.perLabel.set(label, sink.perLabel.get(label)! + 1);
          callback();
        });
      },
    });
    server.on('error', () => undefined);
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    sink.ports.set(label, (server.server.address() as AddressInfo).port);
    servers.push(server);
  }
  sink.close = async () => {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  };
  return sink;
}
