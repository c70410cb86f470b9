import { closeSync, fdatasync, fdatasyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../shared/logger.js';
import { hitLine, type Hit } from './hit.js';
import { listLogFiles, logFileName, readOrCreateEpoch } from './hit-files.js';

const datasync = promisify(fdatasync);

/**
 * The local hit log (Adobe's trackinglogd, in-process). Each hit is written to the current file at
 * the end of the event-loop turn that answered it (one write for every hit of that turn), so a
 * killed process loses nothing already answered; the file is fsynced in groups every
 * flushIntervalMs, which bounds what a power loss can take. If the disk fails, hits stay buffered
 * (up to maxBufferedBytes, then new ones are dropped and counted) and the server keeps answering.
 */
export interface HitLog {
  /** Random id of this log folder (see checkpoint.ts). */
  readonly epoch: string;
  readonly dir: string;
  append(hit: Hit): void;
  /** The file being written; older files are complete. */
  currentFile(): number;
  /** Writes what is buffered and fsyncs it. */
  flush(): Promise<void>;
  /** Deletes finished files last modified before cutoffMs; returns how many. */
  purge(cutoffMs: number): Promise<number>;
  status(): { healthy: boolean; bufferedBytes: number; dropped: number; file: number };
  close(): Promise<void>;
}

export interface HitLogOptions {
  dir: string;
  flushIntervalMs: number;
  maxFileBytes: number;
  maxBufferedBytes: number;
  log: Logger;
}

export async function openHitLog(options: HitLogOptions): Promise<HitLog> {
  const { dir, log } = options;
  mkdirSync(dir, { recursive: true, mode: 0o750 });
  const epoch = await readOrCreateEpoch(dir);
  let seq = ((await listLogFiles(dir)).at(-1)?.seq ?? 0) + 1;
  let fd = openSync(join(dir, logFileName(seq)), 'a', 0o640);
  let size = 0;
  let pending: string[] = [];
  let pendingBytes = 0;
  /** Bytes of a write that failed part-way, written first next time (no torn or doubled lines). */
  let carry: Buffer | undefined;
  let scheduled = false;
  let dirty = false;
  let failing = false;
  let dropped = 0;
  let syncing: Promise<void> | undefined;
  let closed = false;

  const markFailing = (err: unknown) => {
    if (!failing) log.error('TRACKING_HIT_LOG_FAILED', { err, buffered: pendingBytes + (carry?.length ?? 0) });
    failing = true;
  };

  const write = () => {
    scheduled = false;
    if (pending.length === 0 && !carry) return;
    const fresh = Buffer.from(pending.join(''));
    const data = carry ? Buffer.concat([carry, fresh]) : fresh;
    pending = [];
    pendingBytes = 0;
    let offset = 0;
    try {
      while (offset < data.length) offset += writeSync(fd, data, offset);
      carry = undefined;
      if (failing) log.info('TRACKING_HIT_LOG_RECOVERED', { written: data.length });
      failing = false;
    } catch (err) {
      carry = data.subarray(offset);
      markFailing(err);
    }
    size += offset;
    if (offset > 0) dirty = true;
  };

  const sync = (): Promise<void> => {
    if (syncing || !dirty) return syncing ?? Promise.resolve();
    dirty = false;
    syncing = datasync(fd)
      .catch((err: unknown) => {
        dirty = true;
        markFailing(err);
      })
      .finally(() => (syncing = undefined));
    return syncing;
  };

  /** Starts the next file once the current one is full (only between syncs). */
  const rotate = () => {
    try {
      const next = openSync(join(dir, logFileName(seq + 1)), 'a', 0o640);
      fdatasyncSync(fd);
      closeSync(fd);
      fd = next;
      seq += 1;
      size = 0;
      dirty = false;
    } catch (err) {
      markFailing(err);
    }
  };

  const timer = setInterval(() => {
    write();
    if (syncing) return;
    if (size >= options.maxFileBytes) rotate();
    else void sync();
  }, options.flushIntervalMs);
  timer.unref();

  return {
    epoch,
    dir,
    append(hit) {
      if (closed) return;
      const line = hitLine(hit);
      if (failing && pendingBytes + (carry?.length ?? 0) > options.maxBufferedBytes) {
        if (dropped++ % 1000 === 0) log.error('TRACKING_HIT_LOG_DROPPED', { dropped });
        return;
      }
      pending.push(line);
      pendingBytes += line.length;
      if (!scheduled) {
        scheduled = true;
        setImmediate(write);
      }
    },
    currentFile: () => seq,
    async flush() {
      write();
      await syncing;
      if (size >= options.maxFileBytes) rotate();
      await sync();
    },
    async purge(cutoffMs) {
      let removed = 0;
      for (const file of await listLogFiles(dir)) {
        if (file.seq >= seq) continue;
        const info = await stat(file.path).catch(() => undefined);
        if (info && info.mtimeMs < cutoffMs) {
          await unlink(file.path).catch(() => undefined);
          removed += 1;
        }
      }
      return removed;
    },
    status: () => ({ healthy: !failing, bufferedBytes: pendingBytes + (carry?.length ?? 0), dropped, file: seq }),
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      write();
      await syncing;
      await sync();
      closeSync(fd);
    },
  };
}
