import { open } from 'node:fs/promises';
import { formatCheckpoint, parseCheckpoint } from '../shared/tracking-protocol/checkpoint.js';
import { listLogFiles } from './hit-files.js';

/**
 * Log shipping (Adobe's GetTrackingLogs): the hits written since a checkpoint, at most `limit`,
 * and the checkpoint to ask from next time. Only complete lines are returned; a line that does not
 * parse (a torn write after a disk failure) is skipped.
 */
export interface HitPage {
  next: string;
  /** More hits are ready now: ask again at once. */
  more: boolean;
  hits: unknown[];
}

export interface HitSource {
  dir: string;
  epoch: string;
  /** The file being written (finished files are below it). */
  currentFile: number;
}

const CHUNK_BYTES = 2 * 1024 * 1024;

export async function readHits(source: HitSource, since: string, limit: number): Promise<HitPage> {
  const files = await listLogFiles(source.dir);
  const checkpoint = parseCheckpoint(since);
  const fromStart = !checkpoint || checkpoint.epoch !== source.epoch;
  let seq = fromStart ? (files[0]?.seq ?? source.currentFile) : checkpoint.file;
  let offset = fromStart ? 0 : checkpoint.offset;
  const hits: unknown[] = [];
  let more = false;
  for (;;) {
    const file = files.find((f) => f.seq >= seq);
    if (!file) break;
    if (file.seq > seq) [seq, offset] = [file.seq, 0];
    const chunk = await readChunk(file.path, offset, limit - hits.length);
    offset += chunk.bytes;
    hits.push(...chunk.hits);
    if (hits.length >= limit || chunk.truncated) {
      more = true;
      break;
    }
    if (file.seq >= source.currentFile) break;
    [seq, offset] = [file.seq + 1, 0];
  }
  return { next: formatCheckpoint({ epoch: source.epoch, file: seq, offset }), more, hits };
}

/** Up to `limit` complete lines from `offset`; `truncated` when the chunk ended before the file did. */
async function readChunk(path: string, offset: number, limit: number): Promise<{ hits: unknown[]; bytes: number; truncated: boolean }> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(CHUNK_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, offset);
    const hits: unknown[] = [];
    let start = 0;
    while (hits.length < limit) {
      const end = buffer.indexOf(10, start);
      if (end < 0 || end >= bytesRead) break;
      const line = parseLine(buffer.toString('utf8', start, end));
      if (line !== undefined) hits.push(line);
      start = end + 1;
    }
    return { hits, bytes: start, truncated: bytesRead === CHUNK_BYTES && start < bytesRead && hits.length < limit };
  } finally {
    await handle.close();
  }
}

function parseLine(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
