import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';

/**
 * A small POP3 client (RFC 1939, with CAPA from RFC 2449 and STLS from RFC 2595): what a bounce
 * mailbox needs (USER/PASS, UIDL, LIST, RETR, DELE, QUIT) over implicit TLS, STLS or, on this host
 * only, plain TCP. One command at a time; multi-line answers are read as bytes and dot-unstuffed.
 * Deletions take effect only when QUIT succeeds (the UPDATE state): a session that breaks deletes
 * nothing. Server errors carry the server's text, never the password.
 */

export interface Pop3Options {
  host: string;
  port: number;
  tls: 'implicit' | 'starttls' | 'none';
  /** Passed to tls.connect (certificate checks, CA, servername). */
  tlsOptions?: ConnectionOptions;
  user: string;
  password: string;
  timeoutMs: number;
  /** Largest multi-line answer accepted, in bytes (a message larger than this is refused before RETR by the caller). */
  maxResponseBytes?: number;
}

export class Pop3Error extends Error {
  constructor(
    message: string,
    readonly code: 'POP3_ERR' | 'POP3_PROTOCOL' | 'POP3_CLOSED' | 'POP3_TIMEOUT',
  ) {
    super(message);
  }
}

const CRLF = Buffer.from('\r\n');
const DEFAULT_MAX_RESPONSE = 100 * 1024 * 1024;

/** Lines of a socket, as Buffers without their CRLF; waits when none is buffered. */
class LineReader {
  private buffer: Buffer = Buffer.alloc(0);
  private waiting: { resolve: (line: Buffer) => void; reject: (err: Error) => void } | undefined;
  private failure: Error | undefined;

  attach(socket: Socket | TLSSocket): void {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      this.wake();
    });
    socket.on('error', (err) => this.fail(new Pop3Error(`connection error: ${err.message}`, 'POP3_CLOSED')));
    socket.on('close', () => this.fail(new Pop3Error('connection closed by the server', 'POP3_CLOSED')));
  }

  /** Stops reading from the current socket (before STLS hands it to TLS). */
  detach(socket: Socket): void {
    socket.removeAllListeners('data');
    socket.removeAllListeners('error');
    socket.removeAllListeners('close');
  }

  fail(err: Error): void {
    this.failure ??= err;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.reject(this.failure);
  }

  private take(): Buffer | undefined {
    const at = this.buffer.indexOf(CRLF);
    if (at < 0) return undefined;
    const line = this.buffer.subarray(0, at);
    this.buffer = this.buffer.subarray(at + 2);
    return line;
  }

  private wake(): void {
    if (!this.waiting) return;
    const line = this.take();
    if (!line) return;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting.resolve(line);
  }

  /** Bytes buffered but not read (a line that is still arriving). */
  pending(): number {
    return this.buffer.length;
  }

  line(): Promise<Buffer> {
    const ready = this.take();
    if (ready) return Promise.resolve(ready);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }
}

export interface Pop3Listing {
  /** Message number in this session. */
  n: number;
  /** Unique id (UIDL), stable across sessions. */
  uid: string;
  size: number;
}

export class Pop3Client {
  private readonly reader = new LineReader();
  private socket: Socket | TLSSocket;
  private quitted = false;

  private constructor(
    socket: Socket | TLSSocket,
    private readonly options: Pop3Options,
  ) {
    this.socket = socket;
    this.watch(socket);
  }

  /** Connects, reads the greeting, upgrades with STLS when asked and logs in. */
  static async connect(options: Pop3Options): Promise<Pop3Client> {
    const socket = await open(options);
    const client = new Pop3Client(socket, options);
    try {
      await client.status();
      if (options.tls === 'starttls') await client.startTls();
      await client.command(`USER ${options.user}`);
      await client.command(`PASS ${options.password}`, 'PASS ****');
      return client;
    } catch (err) {
      client.close();
      throw err;
    }
  }

  private watch(socket: Socket | TLSSocket): void {
    this.reader.attach(socket);
    socket.setTimeout(this.options.timeoutMs, () => {
      this.reader.fail(new Pop3Error(`no answer from the server within ${this.options.timeoutMs} ms`, 'POP3_TIMEOUT'));
      socket.destroy();
    });
  }

  private async startTls(): Promise<void> {
    const capabilities = await this.capabilities();
    if (!capabilities.includes('STLS')) throw new Pop3Error('the server does not offer STLS (tls = "starttls" requires it)', 'POP3_PROTOCOL');
    await this.command('STLS');
    if (this.reader.pending() > 0) throw new Pop3Error('the server sent data after +OK to STLS', 'POP3_PROTOCOL');
    const plain = this.socket as Socket;
    this.reader.detach(plain);
    plain.setTimeout(0);
    const secure = tlsConnect({
      ...this.options.tlsOptions,
      socket: plain,
      host: this.options.host,
      servername: this.options.tlsOptions?.servername ?? serverName(this.options.host),
    });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', resolve);
      secure.once('error', reject);
    });
    this.socket = secure;
    this.watch(secure);
  }

  /** A status line: resolves with its text after +OK, throws on -ERR. */
  private async status(): Promise<string> {
    const line = (await this.reader.line()).toString('utf8');
    if (line.startsWith('+OK')) return line.slice(3).trim();
    if (line.startsWith('-ERR')) throw new Pop3Error(`server answered: ${line.slice(4).trim() || '-ERR'}`, 'POP3_ERR');
    throw new Pop3Error(`unexpected answer: ${line.slice(0, 200)}`, 'POP3_PROTOCOL');
  }

  /** The lines of a multi-line answer up to the terminating ".", dot-unstuffed. */
  private async body(): Promise<Buffer[]> {
    const lines: Buffer[] = [];
    let size = 0;
    const max = this.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE;
    for (;;) {
      const line = await this.reader.line();
      if (line.length === 1 && line[0] === 0x2e) return lines;
      const unstuffed = line[0] === 0x2e ? line.subarray(1) : line;
      size += unstuffed.length + 2;
      if (size > max) {
        this.close();
        throw new Pop3Error(`answer larger than ${max} bytes`, 'POP3_PROTOCOL');
      }
      lines.push(unstuffed);
    }
  }

  private async command(line: string, shown = line): Promise<string> {
    if (/[\r\n]/.test(line)) throw new Pop3Error(`refusing a command with a line break: ${shown}`, 'POP3_PROTOCOL');
    this.socket.write(`${line}\r\n`);
    try {
      return await this.status();
    } catch (err) {
      if (err instanceof Pop3Error && err.code === 'POP3_ERR') throw new Pop3Error(`${shown.split(' ')[0]}: ${err.message}`, 'POP3_ERR');
      throw err;
    }
  }

  /** CAPA (RFC 2449); empty when the server does not support it. */
  async capabilities(): Promise<string[]> {
    try {
      await this.command('CAPA');
    } catch (err) {
      if (err instanceof Pop3Error && err.code === 'POP3_ERR') return [];
      throw err;
    }
    return (await this.body()).map((l) => l.toString('utf8').trim().toUpperCase().split(/\s+/)[0]!);
  }

  /** Every message with its unique id and size (UIDL and LIST). */
  async list(): Promise<Pop3Listing[]> {
    await this.command('UIDL');
    const uids = new Map<number, string>();
    for (const line of await this.body()) {
      const [n, uid] = line.toString('utf8').trim().split(/\s+/);
      if (n && uid) uids.set(Number(n), uid);
    }
    await this.command('LIST');
    const out: Pop3Listing[] = [];
    for (const line of await this.body()) {
      const [n, size] = line.toString('utf8').trim().split(/\s+/);
      const uid = uids.get(Number(n));
      if (uid !== undefined) out.push({ n: Number(n), uid, size: Number(size) });
    }
    return out;
  }

  /** The raw message, lines joined with CRLF. */
  async retrieve(n: number): Promise<Buffer> {
    await this.command(`RETR ${n}`);
    const lines = await this.body();
    return Buffer.concat(lines.flatMap((l) => [l, CRLF]));
  }

  /** Marks a message for deletion; it is deleted only when QUIT succeeds. */
  async delete(n: number): Promise<void> {
    await this.command(`DELE ${n}`);
  }

  /** Ends the session: the server deletes the marked messages and answers +OK once it has. */
  async quit(): Promise<void> {
    await this.command('QUIT');
    this.quitted = true;
    this.socket.end();
  }

  /** Drops the connection without QUIT: nothing marked is deleted. */
  close(): void {
    if (!this.quitted) this.socket.destroy();
  }
}

function serverName(host: string): string | undefined {
  return /^[\d.]+$|:/.test(host) ? undefined : host;
}

function open(options: Pop3Options): Promise<Socket | TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket =
      options.tls === 'implicit'
        ? tlsConnect({ ...options.tlsOptions, host: options.host, port: options.port, servername: options.tlsOptions?.servername ?? serverName(options.host) })
        : netConnect({ host: options.host, port: options.port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Pop3Error(`cannot connect to ${options.host}:${options.port} within ${options.timeoutMs} ms`, 'POP3_TIMEOUT'));
    }, options.timeoutMs);
    socket.once(options.tls === 'implicit' ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(new Pop3Error(`cannot connect to ${options.host}:${options.port}: ${err.message}`, 'POP3_CLOSED'));
    });
  });
}
