import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { HeraldError } from '../../shared/errors.js';

/**
 * A streaming reader for multipart/form-data uploads (RFC 7578): small text fields are kept in
 * memory, the one file field is written to `filePath` as it arrives (memory stays flat whatever the
 * file size), and the whole body is bounded by `maxBytes` (413 beyond). `beforeFile` runs when the
 * file part starts, with the fields read so far: forms put their CSRF token first, so a forged
 * upload is refused before a byte of it is stored.
 */

export interface UploadOptions {
  fileField: string;
  filePath: string;
  maxBytes: number;
  beforeFile(fields: Readonly<Record<string, string>>): void;
}

export interface UploadResult {
  fields: Record<string, string>;
  file?: { filename: string; bytes: number };
}

const MAX_FIELD_BYTES = 4096;
const MAX_HEADER_BYTES = 8192;
const MAX_PARTS = 20;
const HEADER_END = Buffer.from('\r\n\r\n');

const malformed = (why: string) => new HeraldError('UPLOAD_MALFORMED', `the upload could not be read (${why})`, { status: 400 });

export function boundaryOf(contentType: string): string {
  const match = /boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  if (!match) throw malformed('no boundary');
  return (match[1] ?? match[2])!;
}

interface Part {
  name: string;
  filename?: string;
  chunks: Buffer[];
  size: number;
  out?: WriteStream;
}

export async function readUpload(body: AsyncIterable<Buffer>, contentType: string, options: UploadOptions): Promise<UploadResult> {
  const delimiter = Buffer.from(`\r\n--${boundaryOf(contentType)}`);
  const result: UploadResult = { fields: {} };
  let buf = Buffer.from('\r\n');
  let state = 'preamble' as 'preamble' | 'after-delimiter' | 'headers' | 'body' | 'done';
  let part: Part | undefined;
  let parts = 0;
  let total = 0;

  const startPart = (headers: string) => {
    const disposition = /^content-disposition:\s*form-data(.*)$/im.exec(headers)?.[1] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined) throw malformed('a part has no name');
    if (++parts > MAX_PARTS) throw malformed('too many parts');
    part = { name, filename, chunks: [], size: 0 };
    if (filename === undefined) return;
    if (name !== options.fileField || result.file) throw malformed('unexpected file');
    options.beforeFile(result.fields);
    part.out = createWriteStream(options.filePath, { mode: 0o600 });
    result.file = { filename: filename.replace(/^.*[\\/]/, '').slice(0, 255), bytes: 0 };
  };
  const write = async (data: Buffer) => {
    if (!part || data.length === 0) return;
    part.size += data.length;
    if (part.out) {
      result.file!.bytes += data.length;
      if (!part.out.write(data)) await once(part.out, 'drain');
    } else {
      if (part.size > MAX_FIELD_BYTES) throw malformed('field too long');
      part.chunks.push(Buffer.from(data));
    }
  };
  const endPart = async () => {
    if (part?.out) {
      part.out.end();
      await once(part.out, 'close');
    } else if (part) result.fields[part.name] = Buffer.concat(part.chunks).toString('utf8');
    part = undefined;
  };

  /** Consumes as much of `buf` as the state machine can; returns when it needs more bytes. */
  const drain = async () => {
    for (;;) {
      if (state === 'preamble' || state === 'body') {
        const at = buf.indexOf(delimiter);
        if (at < 0) {
          const safe = buf.length - (delimiter.length - 1);
          if (safe > 0) {
            if (state === 'body') await write(buf.subarray(0, safe));
            buf = buf.subarray(safe);
          }
          return;
        }
        if (state === 'body') {
          await write(buf.subarray(0, at));
          await endPart();
        }
        buf = buf.subarray(at + delimiter.length);
        state = 'after-delimiter';
      } else if (state === 'after-delimiter') {
        if (buf.length < 2) return;
        const next = buf.subarray(0, 2).toString('latin1');
        if (next === '--') return void (state = 'done');
        if (next !== '\r\n') throw malformed('bad boundary line');
        buf = buf.subarray(2);
        state = 'headers';
      } else if (state === 'headers') {
        const at = buf.indexOf(HEADER_END);
        if (at < 0) {
          if (buf.length > MAX_HEADER_BYTES) throw malformed('part headers too long');
          return;
        }
        startPart(buf.subarray(0, at).toString('utf8'));
        buf = buf.subarray(at + HEADER_END.length);
        state = 'body';
      } else return;
    }
  };

  try {
    for await (const chunk of body) {
      total += chunk.length;
      if (total > options.maxBytes) throw new HeraldError('UPLOAD_TOO_LARGE', 'the file is larger than this console accepts', { status: 413 });
      if (state === 'done') continue;
      buf = Buffer.concat([buf, chunk]);
      await drain();
    }
    if (state !== 'done') throw malformed('the body ended early');
    return result;
  } catch (err) {
    part?.out?.destroy();
    await rm(options.filePath, { force: true });
    throw err;
  }
}
