import { createSocket, type Socket } from 'node:dgram';

/**
 * A tiny authoritative DNS server on 127.0.0.1 (UDP) for tests: answers MX and TXT questions from a
 * table, NXDOMAIN for names it does not know, an empty answer for a known name without that type.
 * Real DNS messages (RFC 1035), so code under test uses node's real resolver against it.
 */
export interface DnsRecords {
  [name: string]: { MX?: Array<{ priority: number; exchange: string }>; TXT?: string[] };
}

export interface TestDnsServer {
  /** `127.0.0.1:<port>`, for web.setupDnsServers. */
  address: string;
  /** Questions received, as `TYPE name`. */
  questions: string[];
  close(): Promise<void>;
}

const TYPES: Record<number, 'MX' | 'TXT'> = { 15: 'MX', 16: 'TXT' };

function encodeName(name: string): Buffer {
  return Buffer.concat([
    ...name
      .split('.')
      .filter(Boolean)
      .map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')])),
    Buffer.from([0]),
  ]);
}

function readName(msg: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let at = offset;
  while (msg[at]! > 0) {
    labels.push(msg.subarray(at + 1, at + 1 + msg[at]!).toString('ascii'));
    at += 1 + msg[at]!;
  }
  return { name: labels.join('.').toLowerCase(), end: at + 1 };
}

function answer(query: Buffer, records: DnsRecords, questions: string[]): Buffer {
  const { name, end } = readName(query, 12);
  const type = query.readUInt16BE(end);
  const question = query.subarray(12, end + 4);
  const known = records[name];
  questions.push(`${TYPES[type] ?? type} ${name}`);
  const rdatas: Buffer[] = [];
  if (known && TYPES[type] === 'MX')
    for (const mx of known.MX ?? []) rdatas.push(Buffer.concat([Buffer.from([mx.priority >> 8, mx.priority & 255]), encodeName(mx.exchange)]));
  if (known && TYPES[type] === 'TXT')
    for (const txt of known.TXT ?? []) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < txt.length; i += 255) {
        const part = Buffer.from(txt.slice(i, i + 255), 'ascii');
        chunks.push(Buffer.from([part.length]), part);
      }
      rdatas.push(Buffer.concat(chunks));
    }
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2);
  header.writeUInt16BE(0x8400 | (query.readUInt16BE(2) & 0x0100) | (known ? 0 : 3), 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(rdatas.length, 6);
  const answers = rdatas.map((rdata) => {
    const fixed = Buffer.alloc(12);
    fixed.writeUInt16BE(0xc00c, 0);
    fixed.writeUInt16BE(type, 2);
    fixed.writeUInt16BE(1, 4);
    fixed.writeUInt32BE(60, 6);
    fixed.writeUInt16BE(rdata.length, 10);
    return Buffer.concat([fixed, rdata]);
  });
  return Buffer.concat([header, question, ...answers]);
}

export async function startTestDns(records: DnsRecords): Promise<TestDnsServer> {
  const socket: Socket = createSocket('udp4');
  const questions: string[] = [];
  const table = Object.fromEntries(Object.entries(records).map(([k, v]) => [k.toLowerCase(), v]));
  socket.on('message', (msg, peer) => {
    try {
      socket.send(answer(msg, table, questions), peer.port, peer.address);
    } catch {
      // a malformed question gets no answer
    }
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${socket.address().port}`,
    questions,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}
