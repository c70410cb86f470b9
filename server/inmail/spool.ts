import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Journal, type JournalLocation } from './journal.js';

/**
 * The durable spool between the SMTP answer and processing: the server answers 250 only once a
 * message is on disk, so an accepted bounce survives a crash.
 * - A message up to 256 KB (nearly every bounce) is held in memory while it arrives, then
 *   appended to the journal (journal.ts): messages finishing together share one fdatasync.
 * - A larger one is streamed to `<id>.tmp`, fsync'd, renamed to `<id>.msg` and the directory
 *   synced; leftover `.tmp` files were never acknowledged and are deleted at start.
 * Both hold one JSON line (the envelope, with the id) then the raw message. Messages kept for
 * review are copied as plain `.eml` files under `kept/`.
 */

export interface Envelope {
  mailFrom: string;
  rcptTo: string[];
  remoteAddress: string;
  receivedAt: string;
  /** Set for a message read from a bounce mailbox: which one, and the message's key there. */
  source?: { mailbox: string; key: string };
}

export interface SpoolEntry {
  id: string;
  envelope: Envelope;
  /** Where it is stored: a journal record or its own file. */
  journal?: JournalLocation;
  file?: string;
  /** The raw message while it is still in memory; else read back from the spool. */
  raw?: Buffer;
}

export interface SpoolWriter {
  write(chunk: Buffer): Promise<void>;
  /** Stores the message durably; resolves once it is on disk. */
  finish(): Promise<SpoolEntry>;
  abort(): Promise<void>;
}

/** Messages up to this size go to the journal and stay in memory until processed. */
const IN_MEMORY = 256 * 1024;

let counter = 0;
const RUN = randomBytes(3).toString('hex');
/** Sortable by arrival time, unique across processes and restarts. */
function newId(): string {
  counter = (counter + 1) % 0xffffff;
  return `${Date.now().toString(36).padStart(9, '0')}-${process.pid.toString(36)}${RUN}-${counter.toString(36)}`;
}

/** Resolves on `event` or on 'error', whichever comes first, leaving no listener behind. */
function settled(stream: WriteStream, event: string): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off(event, done);
      stream.off('error', done);
      resolve();
    };
    stream.once(event, done);
    stream.once('error', done);
  });
}

/** Coalesces directory fsyncs: every caller waits for a sync that started after its call. */
function directorySyncer(dir: string): () => Promise<void> {
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  const sync = async () => {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  };
  return () => {
    if (!running) return (running = sync().finally(() => (running = undefined)));
    queued ??= running
      .catch(() => undefined)
      .then(() => {
        queued = undefined;
        return (running = sync().finally(() => (running = undefined)));
      });
    return queued;
  };
}

/** The stored form: `{"id":…,envelope…}\n` then the raw message. */
function stored(id: string, envelope: Envelope, raw: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${JSON.stringify({ id, ...envelope })}\n`), raw]);
}

function unstore(data: Buffer): { id?: string; envelope: Envelope; raw: Buffer } | undefined {
  const eol = data.indexOf(0x0a);
  try {
    const { id, ...envelope } = JSON.parse(data.subarray(0, eol).toString('utf8')) as Envelope & { id?: string };
    return { id, envelope, raw: data.subarray(eol + 1) };
  } catch {
    return undefined;
  }
}

export class Spool {
  readonly keptDir: string;
  private readonly syncDir: () => Promise<void>;
  private readonly journal: Journal;

  constructor(readonly dir: string) {
    this.keptDir = join(dir, 'kept');
    this.syncDir = directorySyncer(dir);
    this.journal = new Journal(dir, { maxSegmentBytes: 64 * 1024 * 1024, maxSegmentAgeMs: 60_000, syncDirectory: this.syncDir });
  }

  /** Creates the folders and drops unfinished (never acknowledged) files. */
  async init(): Promise<void> {
    await mkdir(this.keptDir, { recursive: true, mode: 0o750 });
    for (const name of await readdir(this.dir)) if (name.endsWith('.tmp')) await rm(join(this.dir, name), { force: true });
  }

  writer(envelope: Envelope): SpoolWriter {
    const id = newId();
    const tmp = join(this.dir, `${id}.tmp`);
    let chunks: Buffer[] = [];
    let size = 0;
    let stream: WriteStream | undefined;
    let failed: Error | undefined;
    const spill = () => {
      stream = createWriteStream(tmp, { flush: true, mode: 0o640 });
      stream.on('error', (err) => (failed ??= err));
      stream.write(stored(id, envelope, Buffer.concat(chunks)));
      chunks = [];
    };
    return {
      write: async (chunk) => {
        if (failed) throw failed;
        size += chunk.length;
        if (!stream && size <= IN_MEMORY) return void chunks.push(chunk);
        if (!stream) spill();
        if (!stream!.write(chunk)) await settled(stream!, 'drain');
        if (failed) throw failed;
      },
      finish: async () => {
        if (!stream) {
          const raw = Buffer.concat(chunks);
          return { id, envelope, raw, journal: await this.journal.append(stored(id, envelope, raw)) };
        }
        stream.end();
        await settled(stream, 'close');
        if (failed) throw failed;
        const file = join(this.dir, `${id}.msg`);
        await rename(tmp, file);
        await this.syncDir();
        return { id, envelope, file };
      },
      abort: async () => {
        stream?.destroy();
        await rm(tmp, { force: true });
      },
    };
  }

  /** Every accepted message not yet processed, oldest first. */
  async list(): Promise<SpoolEntry[]> {
    const entries: SpoolEntry[] = [];
    for (const record of await this.journal.recover((payload) => unstore(payload)?.id)) {
      const message = unstore(record.payload);
      if (message?.id) entries.push({ id: message.id, envelope: message.envelope, journal: record });
    }
    for (const name of (await readdir(this.dir)).filter((n) => n.endsWith('.msg'))) {
      const file = join(this.dir, name);
      const message = unstore(await readFile(file));
      if (message) entries.push({ id: message.id ?? name.slice(0, -4), envelope: message.envelope, file });
      else await rename(file, join(this.keptDir, `${name.slice(0, -4)}.damaged`));
    }
    return entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** Stores a whole message durably (a message read from a mailbox); resolves once it is on disk. */
  async store(envelope: Envelope, raw: Buffer): Promise<SpoolEntry> {
    const writer = this.writer(envelope);
    try {
      await writer.write(raw);
      return await writer.finish();
    } catch (err) {
      await writer.abort();
      throw err;
    }
  }

  /** The raw message of an entry. */
  async read(entry: SpoolEntry): Promise<Buffer> {
    if (entry.raw) return entry.raw;
    const data = entry.journal ? await this.journal.read(entry.journal) : await readFile(entry.file!);
    return unstore(data)?.raw ?? Buffer.alloc(0);
  }

  /** Copies the raw message under kept/ for review; returns its path relative to the spool. */
  async keep(entry: SpoolEntry, raw: Buffer): Promise<string> {
    const name = `kept/${entry.id}.eml`;
    await writeFile(join(this.dir, name), raw, { mode: 0o640, flush: true });
    return name;
  }

  /** Sets aside a message that cannot be stored (envelope included) under kept/, and forgets it. */
  async park(entry: SpoolEntry): Promise<string> {
    const name = `kept/${entry.id}.unstored`;
    if (entry.file) await rename(entry.file, join(this.dir, name));
    else await writeFile(join(this.dir, name), stored(entry.id, entry.envelope, await this.read(entry)), { mode: 0o640, flush: true });
    await this.removeAll([entry]);
    return name;
  }

  /** Forgets processed messages: journal records are marked done, files deleted. */
  async removeAll(entries: readonly SpoolEntry[]): Promise<void> {
    await this.journal.markDone(entries.flatMap((e) => (e.journal ? [{ segment: e.journal.segment, id: e.id }] : [])));
    await Promise.all(entries.flatMap((e) => (e.file ? [rm(e.file, { force: true })] : [])));
  }

  /** Finishes pending appends and closes the current journal segment. */
  close(): Promise<void> {
    return this.journal.close();
  }
}
