import { closeSync, fdatasync, fdatasyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../shared/logger.js';
import { hitLine, type Hit } from '../shared/tracking-protocol/hit.js';
import type { Checkpoint } from '../shared/tracking-protocol/checkpoint.js';
import { listLogFiles, logFileName, readOrCreateEpoch, readShipped, writeShipped } from './hit-files.js';

const datasync = promisify(fdatasync);

export interface HitLogOptions {
  dir: string;
  flushIntervalMs: number;
  maxFileBytes: number;
  maxBufferedBytes: number;
  log: Logger;
}

/**
 * The local hit log (Adobe's trackinglogd, in-process). The hits of one event-loop turn are written
 * to the current file together, at the end of that turn, and only then are their requests answered
 * (`append(hit, answer)`): an answered hit is already in the operating system's hands, so a killed
 * process loses none. The file is fsynced in groups every flushIntervalMs, which bounds what a
 * power loss can take. If the disk fails, requests are still answered and hits stay buffered (up
 * to maxBufferedBytes, then new ones are dropped and counted).
 */
export class HitLog {
  private seq: number;
  private fd: number;
  private size = 0;
  private pending: string[] = [];
  private pendingBytes = 0;
  /** Answers waiting for their hits to be written. */
  private answers: Array<() => void> = [];
  /** Bytes of a write that failed part-way, written first next time (no torn or doubled lines). */
  private carry: Buffer | undefined;
  private scheduled = false;
  private dirty = false;
  private failing = false;
  private closed = false;
  private dropped = 0;
  private syncing: Promise<void> | undefined;
  /** The last checkpoint an ingest asked from (undefined: none since this process started). */
  private lastPull: { file: number; offset: number; atMs: number } | undefined;
  /** Writes of the shipped marker, one after the other. */
  private shippedWrite: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;

  static async open(options: HitLogOptions): Promise<HitLog> {
    mkdirSync(options.dir, { recursive: true, mode: 0o750 });
    const epoch = await readOrCreateEpoch(options.dir);
    const seq = ((await listLogFiles(options.dir)).at(-1)?.seq ?? 0) + 1;
    return new HitLog(options, epoch, seq, await readShipped(options.dir));
  }

  private constructor(
    private readonly options: HitLogOptions,
    /** Random id of this log folder (see checkpoint.ts). */
    readonly epoch: string,
    seq: number,
    /** Files numbered below this are stored by an ingest (see acknowledge). */
    private shippedBelow: number,
  ) {
    this.seq = seq;
    this.fd = openSync(join(options.dir, logFileName(seq)), 'a', 0o640);
    this.timer = setInterval(() => this.tick(), options.flushIntervalMs);
    this.timer.unref();
  }

  get dir(): string {
    return this.options.dir;
  }

  /** The file being written; older files are complete. */
  currentFile(): number {
    return this.seq;
  }

  /** Logs a hit; `answer` runs once the hit is written (or at once if it cannot be kept). */
  append(hit: Hit, answer: () => void): void {
    if (this.closed) return answer();
    if (this.failing && this.buffered() > this.options.maxBufferedBytes) {
      if (this.dropped++ % 1000 === 0) this.options.log.error('TRACKING_HIT_LOG_DROPPED', { dropped: this.dropped });
      return answer();
    }
    const line = hitLine(hit);
    this.pending.push(line);
    this.pendingBytes += line.length;
    this.answers.push(answer);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.write());
    }
  }

  /** Writes what is buffered and fsyncs it (starting the next file if this one is full). */
  async flush(): Promise<void> {
    this.write();
    await this.syncing;
    if (this.size >= this.options.maxFileBytes) this.rotate();
    await this.sync();
  }

  /**
   * An ingest asked for the hits after `checkpoint`: it has stored every hit before it, so the files
   * before the checkpoint's file may be purged. Remembered in the folder across restarts.
   */
  acknowledge(checkpoint: Checkpoint): Promise<void> {
    if (checkpoint.epoch === this.epoch) this.lastPull = { file: checkpoint.file, offset: checkpoint.offset, atMs: Date.now() };
    if (checkpoint.epoch !== this.epoch || checkpoint.file <= this.shippedBelow) return this.shippedWrite;
    this.shippedBelow = Math.min(checkpoint.file, this.seq);
    const seq = this.shippedBelow;
    this.shippedWrite = this.shippedWrite
      .then(() => writeShipped(this.options.dir, seq))
      .catch((err: unknown) => this.options.log.error('TRACKING_HIT_LOG_FAILED', { err }));
    return this.shippedWrite;
  }

  /**
   * Deletes finished files last modified before cutoffMs that an ingest has stored; a file never
   * shipped is kept until unshippedCutoffMs, then deleted all the same (counted as lost).
   */
  async purge(cutoffMs: number, unshippedCutoffMs: number): Promise<{ removed: number; unshippedKept: number; unshippedRemoved: number }> {
    const result = { removed: 0, unshippedKept: 0, unshippedRemoved: 0 };
    for (const file of await listLogFiles(this.options.dir)) {
      if (file.seq >= this.seq) continue;
      const info = await stat(file.path).catch(() => undefined);
      if (!info || info.mtimeMs >= cutoffMs) continue;
      const shipped = file.seq < this.shippedBelow;
      if (!shipped && info.mtimeMs >= unshippedCutoffMs) {
        result.unshippedKept += 1;
        continue;
      }
      await unlink(file.path).catch(() => undefined);
      result[shipped ? 'removed' : 'unshippedRemoved'] += 1;
    }
    return result;
  }

  /**
   * What no ingest has read yet: the bytes of the files from the last checkpoint asked for (from
   * its offset), or from the first file not confirmed shipped; and when an ingest last asked.
   */
  async backlog(): Promise<{ bytes: number; files: number; lastPullMs: number | undefined }> {
    const from = this.lastPull ?? { file: this.shippedBelow, offset: 0, atMs: undefined };
    let bytes = 0;
    let files = 0;
    for (const file of await listLogFiles(this.options.dir)) {
      if (file.seq < from.file) continue;
      const size = (await stat(file.path).catch(() => undefined))?.size ?? 0;
      const unread = file.seq === from.file ? Math.max(0, size - from.offset) : size;
      if (unread > 0) files += 1;
      bytes += unread;
    }
    return { bytes: bytes + this.buffered(), files, lastPullMs: from.atMs };
  }

  status(): { healthy: boolean; bufferedBytes: number; dropped: number; file: number } {
    return { healthy: !this.failing, bufferedBytes: this.buffered(), dropped: this.dropped, file: this.seq };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    await this.flush();
    closeSync(this.fd);
  }

  private buffered(): number {
    return this.pendingBytes + (this.carry?.length ?? 0);
  }

  private tick(): void {
    this.write();
    if (this.syncing) return;
    if (this.size >= this.options.maxFileBytes) this.rotate();
    else void this.sync();
  }

  private write(): void {
    this.scheduled = false;
    if (this.pending.length > 0 || this.carry) this.writePending();
    const answers = this.answers;
    this.answers = [];
    for (const answer of answers) {
      try {
        answer();
      } catch (err) {
        this.options.log.error('TRACKING_REQUEST_FAILED', { path: '(answer after the hit log write)', err });
      }
    }
  }

  private writePending(): void {
    const fresh = Buffer.from(this.pending.join(''));
    const data = this.carry ? Buffer.concat([this.carry, fresh]) : fresh;
    this.pending = [];
    this.pendingBytes = 0;
    let offset = 0;
    try {
      while (offset < data.length) offset += writeSync(this.fd, data, offset);
      this.carry = undefined;
      if (this.failing) this.options.log.info('TRACKING_HIT_LOG_RECOVERED', { written: data.length });
      this.failing = false;
    } catch (err) {
      this.carry = data.subarray(offset);
      this.markFailing(err);
    }
    this.size += offset;
    if (offset > 0) this.dirty = true;
  }

  private sync(): Promise<void> {
    if (this.syncing || !this.dirty) return this.syncing ?? Promise.resolve();
    this.dirty = false;
    this.syncing = datasync(this.fd)
      .catch((err: unknown) => {
        this.dirty = true;
        this.markFailing(err);
      })
      .finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  /** Starts the next file once the current one is full (only between syncs). */
  private rotate(): void {
    try {
      const next = openSync(join(this.options.dir, logFileName(this.seq + 1)), 'a', 0o640);
      fdatasyncSync(this.fd);
      closeSync(this.fd);
      this.fd = next;
      this.seq += 1;
      this.size = 0;
      this.dirty = false;
    } catch (err) {
      this.markFailing(err);
    }
  }

  private markFailing(err: unknown): void {
    if (!this.failing) this.options.log.error('TRACKING_HIT_LOG_FAILED', { err, buffered: this.buffered() });
    this.failing = true;
  }
}
