import { closeSync, existsSync, fstatSync, ftruncateSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import TransportStream from 'winston-transport';
import { clearProblem, reportProblem } from './health.js';

const MESSAGE = Symbol.for('message');
/** While the file cannot be written, one attempt per this many ms (the lines in between are counted, not kept). */
const RETRY_MS = 1000;

/**
 * A winston transport appending JSON lines to `<file>` and rotating by size to `<file>.1` …
 * `<file>.<maxFiles-1>` (oldest dropped). Writes are synchronous appends: a line logged just before
 * a crash is on disk, and closing never races a rotation.
 *
 * A write that fails (a full disk, the file removed from under it) never reaches the module: the
 * line is counted as dropped, the process reports a `log` health problem, and once a second the
 * file is reopened and written again; the first line that goes through is preceded by a
 * LOG_LINES_DROPPED line with the count (on a new line if the failed write left half a line).
 */
export class RotatingFileTransport extends TransportStream {
  private fd: number;
  private size: number;
  private failedAt: number | undefined;
  private dropped = 0;
  private partial = false;
  private lastError = '';
  private readonly module: string;

  constructor(
    private readonly file: string,
    private readonly maxBytes: number,
    private readonly maxFiles: number,
    options: TransportStream.TransportStreamOptions & { module?: string } = {},
  ) {
    super(options);
    this.module = options.module ?? '';
    this.fd = openSync(file, 'a', 0o640);
    this.size = fstatSync(this.fd).size;
  }

  override log(info: Record<string | symbol, unknown>, next: () => void): void {
    const line = `${String(info[MESSAGE])}\n`;
    try {
      this.writeLine(line, String(info.timestamp ?? new Date().toISOString()));
    } catch (err) {
      this.failed(err);
    }
    next();
  }

  private writeLine(line: string, time: string): void {
    if (this.failedAt !== undefined) {
      if (Date.now() - this.failedAt < RETRY_MS) {
        this.dropped++;
        return;
      }
      this.reopen();
      const marker = { time, level: 'warn', module: this.module, event: 'LOG_LINES_DROPPED', dropped: this.dropped, err: this.lastError };
      this.append(`${this.partial ? '\n' : ''}${JSON.stringify(marker)}\n`);
      this.failedAt = undefined;
      this.dropped = 0;
      this.partial = false;
      clearProblem('log');
    }
    const bytes = Buffer.byteLength(line);
    if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
    this.append(line);
  }

  /** Writes all of `text`, or throws; half a line left by a failed write is cut off again when possible. */
  private append(text: string): void {
    const buffer = Buffer.from(text);
    let offset = 0;
    try {
      while (offset < buffer.length) offset += writeSync(this.fd, buffer, offset);
      this.size += offset;
    } catch (err) {
      if (offset > 0) this.partial = !this.truncate(this.size);
      throw err;
    }
  }

  private truncate(size: number): boolean {
    try {
      ftruncateSync(this.fd, size);
      return true;
    } catch {
      this.size = fstatSync(this.fd).size;
      return false;
    }
  }

  private failed(err: unknown): void {
    this.dropped++;
    this.failedAt = Date.now();
    const e = err as NodeJS.ErrnoException;
    this.lastError = e.code && !e.message.startsWith(e.code) ? `${e.code}: ${e.message}` : e.message;
    reportProblem('log', `cannot write ${this.file}: ${this.lastError}`);
  }

  private reopen(): void {
    try {
      if (this.fd >= 0) closeSync(this.fd);
    } catch {
      // the old descriptor is gone with its file: open a new one
    }
    this.fd = -1;
    this.fd = openSync(this.file, 'a', 0o640);
    this.size = fstatSync(this.fd).size;
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
