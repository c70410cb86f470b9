import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';

/**
 * The durable spool between the SMTP answer and processing. A message is streamed to
 * `<id>.tmp`, flushed to disk (fsync), renamed to `<id>.msg` and the directory synced before the
 * server answers 250, so an accepted bounce survives a crash; leftover `.tmp` files were never
 * accepted and are deleted at start. A spool file is one JSON line (the envelope) then the raw
 * message. Messages kept for review are copied as plain `.eml` files under `kept/`.
 */

export interface Envelope {
  mailFrom: string;
  rcptTo: string[];
  remoteAddress: string;
  receivedAt: string;
}

export interface SpoolEntry {
  id: string;
  file: string;
  envelope: Envelope;
}

export interface SpoolWriter {
  write(chunk: Buffer): Promise<void>;
  /** Flushes, fsyncs and publishes the message; resolves once it is durable. */
  finish(): Promise<SpoolEntry>;
  abort(): Promise<void>;
}

let counter = 0;
function newId(): string {
  counter = (counter + 1) % 0xffffff;
  return `${Date.now().toString(36).padStart(9, '0')}-${process.pid.toString(36)}-${counter.toString(36)}-${randomBytes(3).toString('hex')}`;
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
    const stream: WriteStream = createWriteStream(tmp, { flush: true, mode: 0o640 });
    let failed: Error | undefined;
    stream.on('error', (err) => (failed ??= err));
    const write = async (chunk: Buffer) => {
      if (failed) throw failed;
      if (!stream.write(chunk)) await Promise.race([once(stream, 'drain'), once(stream, 'error')]);
      if (failed) throw failed;
    };
    void write(Buffer.from(`${JSON.stringify(envelope)}\n`));
    return {
      write,
      finish: async () => {
        stream.end();
        await Promise.race([once(stream, 'close'), once(stream, 'error')]);
        if (failed) throw failed;
        await rename(tmp, file);
        await this.syncDir();
        return { id, file, envelope };
      },
      abort: async () => {
        stream.destroy();
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
        entries.push({ id: name.slice(0, -4), file, envelope: JSON.parse(head.subarray(0, eol).toString('utf8')) as Envelope });
      } catch {
        await rename(file, join(this.keptDir, `${name.slice(0, -4)}.damaged`));
      }
    }
    return entries;
  }

  /** The raw message of an entry (without the envelope line). */
  async read(entry: SpoolEntry): Promise<Buffer> {
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
