import { randomBytes } from 'node:crypto';
import { constants, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The durable spool between the SMTP answer and processing: the server answers 250 only once a
 * message is on disk (data and directory entry synced), so an accepted bounce survives a crash.
 * A spool file is one JSON line (the envelope) then the raw message.
 * - A message up to 256 KB is held in memory while it arrives, then written in one synchronous
 *   write (O_DSYNC) straight to `<id>.msg`; its envelope line states its size, so a file torn by
 *   a crash (never acknowledged) is recognised and dropped at start.
 * - A larger one is streamed to `<id>.tmp`, fsync'd, then renamed to `<id>.msg`; leftover `.tmp`
 *   files were never acknowledged and are deleted at start.
 * Directory syncs are shared by the messages finishing together. Messages kept for review are
 * copied as plain `.eml` files under `kept/`.
 */

export interface Envelope {
  mailFrom: string;
  rcptTo: string[];
  remoteAddress: string;
  receivedAt: string;
  /** Size of the raw message, written for messages stored in one write (a torn file is detected by it). */
  size?: number;
}

export interface SpoolEntry {
  id: string;
  file: string;
  envelope: Envelope;
  /** The raw message when it is still in memory (small messages just received); else read from `file`. */
  raw?: Buffer;
}

/** Messages up to this size are written in one go and stay in memory until processed. */
const KEEP_IN_MEMORY = 256 * 1024;
const DURABLE_NEW_FILE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_DSYNC;

export interface SpoolWriter {
  write(chunk: Buffer): Promise<void>;
  /** Flushes, fsyncs and publishes the message; resolves once it is durable. */
  finish(): Promise<SpoolEntry>;
  abort(): Promise<void>;
}

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

/** Coalesces directory fsyncs: every caller waits for a sync that started after its rename. */
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
    if (!running) {
      running = sync().finally(() => (running = undefined));
      return running;
    }
    queued ??= running.catch(() => undefined).then(() => {
      queued = undefined;
      running = sync().finally(() => (running = undefined));
      return running;
    });
    return queued;
  };
}

export class Spool {
  readonly keptDir: string;
  private readonly syncDir: () => Promise<void>;

  constructor(readonly dir: string) {
    this.keptDir = join(dir, 'kept');
    this.syncDir = directorySyncer(dir);
  }

  /** Creates the folders and drops unfinished (never acknowledged) files. */
  async init(): Promise<void> {
    await mkdir(this.keptDir, { recursive: true, mode: 0o750 });
    for (const name of await readdir(this.dir)) if (name.endsWith('.tmp')) await rm(join(this.dir, name), { force: true });
  }

  writer(envelope: Envelope): SpoolWriter {
    const id = newId();
    const tmp = join(this.dir, `${id}.tmp`);
    const file = join(this.dir, `${id}.msg`);
    let chunks: Buffer[] = [];
    let size = 0;
    let stream: WriteStream | undefined;
    let failed: Error | undefined;
    const spill = () => {
      stream = createWriteStream(tmp, { flush: true, mode: 0o640 });
      stream.on('error', (err) => (failed ??= err));
      stream.write(`${JSON.stringify(envelope)}\n`);
      for (const chunk of chunks) stream.write(chunk);
      chunks = [];
    };
    return {
      write: async (chunk) => {
        if (failed) throw failed;
        size += chunk.length;
        if (!stream && size <= KEEP_IN_MEMORY) return void chunks.push(chunk);
        if (!stream) spill();
        if (!stream!.write(chunk)) await settled(stream!, 'drain');
        if (failed) throw failed;
      },
      finish: async () => {
        if (!stream) {
          const raw = Buffer.concat(chunks);
          await writeFile(file, Buffer.concat([Buffer.from(`${JSON.stringify({ ...envelope, size: raw.length })}\n`), raw]), { flag: DURABLE_NEW_FILE, mode: 0o640 });
          await this.syncDir();
          return { id, file, envelope, raw };
        }
        stream.end();
        await settled(stream, 'close');
        if (failed) throw failed;
        await rename(tmp, file);
        await this.syncDir();
        return { id, file, envelope };
      },
      abort: async () => {
        stream?.destroy();
        await rm(tmp, { force: true });
      },
    };
  }

  /** Every accepted message not yet processed, oldest first. */
  async list(): Promise<SpoolEntry[]> {
    const names = (await readdir(this.dir)).filter((n) => n.endsWith('.msg')).sort();
    const entries: SpoolEntry[] = [];
    const head = Buffer.alloc(64 * 1024);
    for (const name of names) {
      const file = join(this.dir, name);
      const handle = await open(file, 'r');
      const { bytesRead } = await handle.read(head, 0, head.length, 0).finally(() => handle.close());
      const eol = head.subarray(0, bytesRead).indexOf(0x0a);
      try {
        const envelope = JSON.parse(head.subarray(0, eol).toString('utf8')) as Envelope;
        if (envelope.size !== undefined && (await stat(file)).size !== eol + 1 + envelope.size) {
          await rm(file, { force: true }); // torn by a crash before it was acknowledged
          continue;
        }
        entries.push({ id: name.slice(0, -4), file, envelope });
      } catch {
        await rename(file, join(this.keptDir, `${name.slice(0, -4)}.damaged`));
      }
    }
    return entries;
  }

  /** The raw message of an entry (without the envelope line). */
  async read(entry: SpoolEntry): Promise<Buffer> {
    if (entry.raw) return entry.raw;
    const data = await readFile(entry.file);
    const eol = data.indexOf(0x0a);
    return eol < 0 ? Buffer.alloc(0) : data.subarray(eol + 1);
  }

  /** Copies the raw message under kept/ for review; returns its path relative to the spool. */
  async keep(entry: SpoolEntry, raw: Buffer): Promise<string> {
    const name = `kept/${entry.id}.eml`;
    await writeFile(join(this.dir, name), raw, { mode: 0o640, flush: true });
    return name;
  }

  /** Sets aside a message that cannot be stored (the whole spool file, envelope included) under kept/. */
  async park(entry: SpoolEntry): Promise<string> {
    const name = `kept/${entry.id}.unstored`;
    await rename(entry.file, join(this.dir, name));
    return name;
  }

  async remove(entry: SpoolEntry): Promise<void> {
    await rm(entry.file, { force: true });
  }
}
