import { appendFile, open, readdir, readFile, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { groupBy } from '../shared/group-by.js';

/**
 * Append-only, group-committed segments holding small spooled messages. A record is
 * `HRL1` + length (u32) + CRC-32 (u32) + payload. Records arriving while a flush runs are written
 * together (one writev) and made durable by one fdatasync; each append resolves only after that
 * sync. A record torn by a crash fails its length or checksum and is ignored: it was never
 * acknowledged. The ids of processed records are appended to `<segment>.done` (not synced: after a
 * crash a record may be processed twice); a closed segment whose records are all done is deleted.
 */

const MAGIC = 'HRL1';
const HEADER = 12;

export interface JournalLocation {
  segment: string;
  offset: number;
  length: number;
}

export interface JournalRecord extends JournalLocation {
  payload: Buffer;
}

interface Segment {
  name: string;
  handle?: FileHandle;
  size: number;
  records: number;
  done: number;
  openedAt: number;
}

interface Pending {
  payload: Buffer;
  resolve(location: JournalLocation): void;
  reject(err: unknown): void;
}

export interface JournalOptions {
  maxSegmentBytes: number;
  maxSegmentAgeMs: number;
  /** Makes a new segment's directory entry durable (shared directory fsync). */
  syncDirectory(): Promise<void>;
}

let sequence = 0;

export class Journal {
  private readonly segments = new Map<string, Segment>();
  private current: Segment | undefined;
  private pending: Pending[] = [];
  private flushing = false;

  constructor(
    private readonly dir: string,
    private readonly options: JournalOptions,
  ) {}

  /** Appends one record; resolves with its location once it is on disk. */
  append(payload: Buffer): Promise<JournalLocation> {
    return new Promise((resolve, reject) => {
      this.pending.push({ payload, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.pending.length > 0) {
      const group = this.pending.splice(0);
      let segment: Segment | undefined;
      try {
        segment = await this.segmentFor();
        const locations: JournalLocation[] = [];
        const buffers: Buffer[] = [];
        let offset = segment.size;
        for (const { payload } of group) {
          const header = Buffer.alloc(HEADER);
          header.write(MAGIC, 0, 'latin1');
          header.writeUInt32BE(payload.length, 4);
          header.writeUInt32BE(crc32(payload) >>> 0, 8);
          buffers.push(header, payload);
          locations.push({ segment: segment.name, offset: offset + HEADER, length: payload.length });
          offset += HEADER + payload.length;
        }
        await writeAll(segment.handle!, buffers);
        await segment.handle!.datasync();
        segment.size = offset;
        segment.records += group.length;
        group.forEach((p, i) => p.resolve(locations[i]!));
      } catch (err) {
        group.forEach((p) => p.reject(err));
        if (segment) await this.retire(segment); // its tail may be torn: later records go to a fresh segment
      }
    }
    this.flushing = false;
  }

  private async segmentFor(): Promise<Segment> {
    const now = Date.now();
    const full = this.current && (this.current.size >= this.options.maxSegmentBytes || now - this.current.openedAt >= this.options.maxSegmentAgeMs);
    if (this.current && full) await this.retire(this.current);
    if (this.current) return this.current;
    sequence++;
    const name = `${now.toString(36).padStart(9, '0')}-${process.pid.toString(36)}-${sequence.toString(36)}.journal`;
    const segment: Segment = { name, handle: await open(join(this.dir, name), 'a', 0o640), size: 0, records: 0, done: 0, openedAt: now };
    await this.options.syncDirectory();
    this.segments.set(name, segment);
    this.current = segment;
    return segment;
  }

  /** Closes a segment for writing; deletes it once all its records are done. */
  private async retire(segment: Segment): Promise<void> {
    if (this.current === segment) this.current = undefined;
    await segment.handle?.close().catch(() => undefined);
    segment.handle = undefined;
    await this.dropIfDone(segment);
  }

  private async dropIfDone(segment: Segment): Promise<void> {
    if (segment.handle || segment.done < segment.records) return;
    this.segments.delete(segment.name);
    await rm(join(this.dir, segment.name), { force: true });
    await rm(join(this.dir, `${segment.name}.done`), { force: true });
  }

  /** Records the ids of processed records, grouped per segment; drops segments that are finished. */
  async markDone(items: ReadonlyArray<{ segment: string; id: string }>): Promise<void> {
    for (const [name, group] of groupBy(items, (item) => item.segment)) {
      const ids = group.map((item) => item.id);
      const segment = this.segments.get(name);
      if (!segment) continue;
      await appendFile(join(this.dir, `${name}.done`), `${ids.join('\n')}\n`);
      segment.done += ids.length;
      await this.dropIfDone(segment);
    }
  }

  async read(location: JournalLocation): Promise<Buffer> {
    const handle = await open(join(this.dir, location.segment), 'r');
    try {
      const buffer = Buffer.alloc(location.length);
      await handle.read(buffer, 0, location.length, location.offset);
      return buffer;
    } finally {
      await handle.close();
    }
  }

  /**
   * The records of the segments left by a previous run, with the ids already done. Every such
   * segment is closed for writing; new records go to a new segment.
   */
  async recover(idOf: (payload: Buffer) => string | undefined): Promise<JournalRecord[]> {
    const records: JournalRecord[] = [];
    for (const name of (await readdir(this.dir)).filter((n) => n.endsWith('.journal')).sort()) {
      const data = await readFile(join(this.dir, name));
      const done = new Set((await readFile(join(this.dir, `${name}.done`), 'utf8').catch(() => '')).split('\n'));
      const segment: Segment = { name, size: data.length, records: 0, done: 0, openedAt: 0 };
      for (const record of parseRecords(data, name)) {
        segment.records++;
        if (done.has(idOf(record.payload) ?? '')) segment.done++;
        else records.push(record);
      }
      this.segments.set(name, segment);
      await this.dropIfDone(segment);
    }
    return records;
  }

  async close(): Promise<void> {
    while (this.flushing) await new Promise((resolve) => setTimeout(resolve, 5));
    if (this.current) await this.retire(this.current);
  }
}

/** The intact records of a segment, stopping at the first torn or corrupt one. */
function parseRecords(data: Buffer, segment: string): JournalRecord[] {
  const out: JournalRecord[] = [];
  for (let at = 0; at + HEADER <= data.length;) {
    if (data.toString('latin1', at, at + 4) !== MAGIC) break;
    const length = data.readUInt32BE(at + 4);
    const end = at + HEADER + length;
    if (end > data.length) break;
    const payload = data.subarray(at + HEADER, end);
    if (crc32(payload) >>> 0 !== data.readUInt32BE(at + 8)) break;
    out.push({ segment, offset: at + HEADER, length, payload });
    at = end;
  }
  return out;
}

/** writev until every byte is written (a regular file rarely takes less, but may). */
async function writeAll(handle: FileHandle, buffers: Buffer[]): Promise<void> {
  let rest = buffers;
  while (rest.length > 0) {
    const { bytesWritten } = await handle.writev(rest);
    let skip = bytesWritten;
    const next: Buffer[] = [];
    for (const b of rest) {
      if (skip >= b.length) skip -= b.length;
      else {
        next.push(skip > 0 ? b.subarray(skip) : b);
        skip = 0;
      }
    }
    rest = next;
  }
}
