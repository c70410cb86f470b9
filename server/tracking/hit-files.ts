import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileDurably } from './durable-file.js';

/**
 * The files of a hit log folder: `epoch` (its random id), `hits-<number>.jsonl` (one per process
 * start or size limit) and `shipped` (the first file an ingest has not yet confirmed storing).
 */

export interface LogFile {
  seq: number;
  path: string;
}

const NAME = /^hits-(\d{10})\.jsonl$/;

export const logFileName = (seq: number) => `hits-${String(seq).padStart(10, '0')}.jsonl`;

export async function listLogFiles(dir: string): Promise<LogFile[]> {
  const files: LogFile[] = [];
  for (const name of await readdir(dir)) {
    const match = NAME.exec(name);
    if (match) files.push({ seq: Number(match[1]), path: join(dir, name) });
  }
  return files.sort((a, b) => a.seq - b.seq);
}

export async function readOrCreateEpoch(dir: string): Promise<string> {
  const file = join(dir, 'epoch');
  try {
    const text = (await readFile(file, 'utf8')).trim();
    if (/^[0-9a-f]{16}$/.test(text)) return text;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const epoch = randomBytes(8).toString('hex');
  await writeFileDurably(file, `${epoch}\n`);
  return epoch;
}

/** Files numbered below this have been pulled and stored by an ingest (0: none confirmed yet). */
export async function readShipped(dir: string): Promise<number> {
  try {
    const seq = Number((await readFile(join(dir, 'shipped'), 'utf8')).trim());
    return Number.isSafeInteger(seq) && seq > 0 ? seq : 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    return 0;
  }
}

export function writeShipped(dir: string, seq: number): Promise<void> {
  return writeFileDurably(join(dir, 'shipped'), `${seq}\n`);
}
