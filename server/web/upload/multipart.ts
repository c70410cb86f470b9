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

type State = 'preamble' | 'after-delimiter' | 'headers' | 'body' | 'done';

/** The parser's state machine over the bytes received so far. */
class UploadParser {
  readonly result: UploadResult = { fields: {} };
  state: State = 'preamble';
  part: Part | undefined;
  private buf = Buffer.from('\r\n');
  private parts = 0;
  private readonly delimiter: Buffer;

  constructor(
    contentType: string,
    private readonly options: UploadOptions,
  ) {
    this.delimiter = Buffer.from(`\r\n--${boundaryOf(contentType)}`);
  }

  async push(chunk: Buffer): Promise<void> {
    this.buf = Buffer.concat([this.buf, chunk]);
    while (this.state !== 'done' && (await this.step()));
  }

  /** Advances by one state; false when more bytes are needed. */
  private async step(): Promise<boolean> {
    if (this.state === 'preamble' || this.state === 'body') return this.scanBody();
    if (this.state === 'after-delimiter') {
      if (this.buf.length < 2) return false;
      const next = this.buf.subarray(0, 2).toString('latin1');
      if (next === '--') this.state = 'done';
      else if (next !== '\r\n') throw malformed('bad boundary line');
      else this.state = 'headers';
      this.buf = this.buf.subarray(2);
      return true;
    }
    const at = this.buf.indexOf(HEADER_END);
    if (at < 0) {
      if (this.buf.length > MAX_HEADER_BYTES) throw malformed('part headers too long');
      return false;
    }
    this.startPart(this.buf.subarray(0, at).toString('utf8'));
    this.buf = this.buf.subarray(at + HEADER_END.length);
    this.state = 'body';
    return true;
  }

  /** Passes part content on up to the next delimiter, keeping a tail that may hold its start. */
  private async scanBody(): Promise<boolean> {
    const at = this.buf.indexOf(this.delimiter);
    if (at < 0) {
      const safe = this.buf.length - (this.delimiter.length - 1);
      if (safe > 0) {
        if (this.state === 'body') await this.write(this.buf.subarray(0, safe));
        this.buf = this.buf.subarray(safe);
      }
      return false;
    }
    if (this.state === 'body') {
      await this.write(this.buf.subarray(0, at));
      await this.endPart();
    }
    this.buf = this.buf.subarray(at + this.delimiter.length);
    this.state = 'after-delimiter';
    return true;
  }

  private startPart(headers: string): void {
    const disposition = /^content-disposition:\s*form-data(.*)$/im.exec(headers)?.[1] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined) throw malformed('a part has no name');
    if (++this.parts > MAX_PARTS) throw malformed('too many parts');
    this.part = { name, filename, chunks: [], size: 0 };
    if (filename === undefined) return;
    if (name !== this.options.fileField || this.result.file) throw malformed('unexpected file');
    this.options.beforeFile(this.result.fields);
    this.part.out = createWriteStream(this.options.filePath, { mode: 0o600 });
    this.result.file = { filename: filename.replace(/^.*[\\/]/, '').slice(0, 255), bytes: 0 };
  }

  private async write(data: Buffer): Promise<void> {
    const part = this.part;
    if (!part || data.length === 0) return;
    part.size += data.length;
    if (part.out) {
      this.result.file!.bytes += data.length;
      if (!part.out.write(data)) await once(part.out, 'drain');
    } else {
      if (part.size > MAX_FIELD_BYTES) throw malformed('field too long');
      part.chunks.push(Buffer.from(data));
    }
  }

  private async endPart(): Promise<void> {
    if (this.part?.out) {
      this.part.out.end();
      await once(this.part.out, 'close');
    } else if (this.part) this.result.fields[this.part.name] = Buffer.concat(this.part.chunks).toString('utf8');
    this.part = undefined;
  }
}

export async function readUpload(body: AsyncIterable<Buffer>, contentType: string, options: UploadOptions): Promise<UploadResult> {
  const parser = new UploadParser(contentType, options);
  let total = 0;
  try {
    for await (const chunk of body) {
      total += chunk.length;
      if (total > options.maxBytes) throw new HeraldError('UPLOAD_TOO_LARGE', 'the file is larger than this console accepts', { status: 413 });
      if (parser.state !== 'done') await parser.push(chunk);
    }
    if (parser.state !== 'done') throw malformed('the body ended early');
    return parser.result;
  } catch (err) {
    parser.part?.out?.destroy();
    await rm(options.filePath, { force: true });
    throw err;
  }
}
