// The remote MTAs of `bench bounce`, in their own process. It builds the DSNs it is given, waits
// for "go", then sends them the way MTAs do: several source addresses (127.0.0.2…, distinct MTAs
// within inMail's per-IP limit), a few connections each, each connection reused for message
// after message with PIPELINING (MAIL, RCPT and DATA in one write). Reports how many got 250.
import { connect, type Socket } from 'node:net';
import { dsn } from './bounce.js';

const SOURCES = ['127.0.0.2', '127.0.0.3', '127.0.0.4'];
const CONNECTIONS_PER_SOURCE = 8;

/** Reads SMTP replies off a socket: `next()` resolves with the next complete reply's code. */
function replies(socket: Socket): () => Promise<number> {
  let buffer = '';
  const waiting: Array<(code: number) => void> = [];
  const ready: number[] = [];
  socket.setEncoding('latin1');
  socket.on('data', (data: string) => {
    buffer += data;
    for (let eol = buffer.indexOf('\n'); eol >= 0; eol = buffer.indexOf('\n')) {
      const line = buffer.slice(0, eol);
      buffer = buffer.slice(eol + 1);
      if (line[3] === '-') continue;
      const code = Number(line.slice(0, 3));
      const resolve = waiting.shift();
      if (resolve) resolve(code);
      else ready.push(code);
    }
  });
  return () => (ready.length > 0 ? Promise.resolve(ready.shift()!) : new Promise((resolve) => waiting.push(resolve)));
}

interface Outgoing {
  to: string;
  /** The message dot-stuffed and terminated, ready for the wire. */
  data: Buffer;
}

async function session(port: number, localAddress: string, take: () => Outgoing | undefined): Promise<number> {
  const socket = connect({ host: '127.0.0.1', port, localAddress });
  const next = replies(socket);
  let accepted = 0;
  if ((await next()) !== 220) throw new Error('no greeting');
  socket.write('EHLO mta.example.net\r\n');
  await next();
  for (let message = take(); message; message = take()) {
    socket.write(`MAIL FROM:<>\r\nRCPT TO:<${message.to}>\r\nDATA\r\n`);
    const [mail, rcpt, data] = [await next(), await next(), await next()];
    if (mail !== 250 || rcpt !== 250 || data !== 354) throw new Error(`refused: ${mail} ${rcpt} ${data}`);
    socket.write(message.data);
    if ((await next()) === 250) accepted++;
  }
  socket.end('QUIT\r\n');
  return accepted;
}

process.once('message', (setup: { port: number; ids: Array<[string, string]> }) => {
  const messages: Outgoing[] = setup.ids.map(([verp, messageId], i) => ({
    to: verp,
    data: Buffer.from(`${dsn(i, verp, messageId).toString('latin1').replace(/^\./gm, '..')}\r\n.\r\n`, 'latin1'),
  }));
  process.once('message', () => void send());
  async function send(): Promise<void> {
    const cpu = process.cpuUsage();
    let i = 0;
    const take = () => (i < messages.length ? messages[i++] : undefined);
    const sessions = SOURCES.flatMap((source) => Array.from({ length: CONNECTIONS_PER_SOURCE }, () => session(setup.port, source, take)));
    const accepted = (await Promise.all(sessions)).reduce((a, b) => a + b, 0);
    const used = process.cpuUsage(cpu);
    process.send!({ accepted, cpuMs: (used.user + used.system) / 1000 });
  }
  process.send!('ready');
});
