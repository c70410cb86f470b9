import { closeSync, existsSync, fstatSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import TransportStream from 'winston-transport';

const MESSAGE = Symbol.for('message');

/**
 * A winston transport appending JSON lines to `<file>` and rotating by size to `<file>.1` …
 * `<file>.<maxFiles-1>` (oldest dropped). Writes are synchronous appends: a line logged just before
 * a crash is on disk, and closing never races a rotation.
 */
export class RotatingFileTransport extends TransportStream {
  private fd: number;
  private size: number;

  constructor(
    private readonly file: string,
    private readonly maxBytes: number,
    private readonly maxFiles: number,
    options: TransportStream.TransportStreamOptions = {},
  ) {
    super(options);
    this.fd = openSync(file, 'a', 0o640);
    this.size = fstatSync(this.fd).size;
  }

  override log(info: Record<string | symbol, unknown>, next: () => void): void {
    const line = `${String(info[MESSAGE])}\n`;
    const bytes = Buffer.byteLength(line);
    if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
    writeSync(this.fd, line);
    this.size += bytes;
    next();
  }

  private rotate(): void {
    closeSync(this.fd);
    const oldest = `${this.file}.${this.maxFiles - 1}`;
    if (this.maxFiles <= 1) rmSync(this.file, { force: true });
    else if (existsSync(oldest)) rmSync(oldest, { force: true });
    for (let i = this.maxFiles - 2; i >= 1; i--) if (existsSync(`${this.file}.${i}`)) renameSync(`${this.file}.${i}`, `${this.file}.${i + 1}`);
    if (this.maxFiles > 1) renameSync(this.file, `${this.file}.1`);
    this.fd = openSync(this.file, 'a', 0o640);
    this.size = 0;
  }

  override close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}
