import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { HeraldError } from '../shared/errors.js';
import { EXIT } from '../shared/exit-codes.js';

/**
 * The character encoding of a recipients CSV. Files are UTF-8 unless declared otherwise (the CLI's
 * --encoding, the console's encoding field) or marked by a UTF-16 byte-order mark. A file read as
 * UTF-8 is checked whole before any row is imported: one that is not valid UTF-8 (typically
 * Latin-1 / Windows-1252 from a spreadsheet) stops the import with the line of its first bad byte
 * and the encoding to declare, instead of importing garbled names. Declared encodings are decoded
 * with the WHATWG decoders (TextDecoder): any of their labels works.
 */

/** The encodings the console offers (the CLI takes any label TextDecoder knows). */
export const OFFERED_ENCODINGS = ['utf-8', 'windows-1252', 'iso-8859-15', 'iso-8859-2', 'utf-16le'] as const;

const encodingError = (message: string) => new HeraldError('IMPORT_ENCODING', message, { exitCode: EXIT.DATA, status: 400 });

/** The canonical name of a declared encoding, or an error naming it. */
export function checkEncodingLabel(label: string): string {
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    throw encodingError(`unknown encoding "${label.slice(0, 40)}" (use e.g. ${OFFERED_ENCODINGS.join(', ')})`);
  }
}

/** The encoding a byte-order mark at the start of the file names, if any. */
export function bomEncoding(head: Buffer): string | undefined {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return undefined;
}

/** Validates UTF-8 across chunks (WHATWG's decoder states), counting lines to report where it breaks. */
export class Utf8Checker {
  private need = 0;
  private lower = 0x80;
  private upper = 0xbf;
  line = 1;

  /** Feeds a chunk; false at the first invalid byte (`line` is then its line). */
  push(chunk: Buffer): boolean {
    if (this.need === 0 && isUtf8(chunk)) {
      for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) this.line++;
      return true;
    }
    for (const b of chunk) {
      if (this.need === 0) {
        if (b === 0x0a) this.line++;
        if (b <= 0x7f) continue;
        if (b >= 0xc2 && b <= 0xdf) this.need = 1;
        else if (b >= 0xe0 && b <= 0xef) {
          this.need = 2;
          if (b === 0xe0) this.lower = 0xa0;
          if (b === 0xed) this.upper = 0x9f;
        } else if (b >= 0xf0 && b <= 0xf4) {
          this.need = 3;
          if (b === 0xf0) this.lower = 0x90;
          if (b === 0xf4) this.upper = 0x8f;
        } else return false;
        continue;
      }
      if (b < this.lower || b > this.upper) return false;
      this.lower = 0x80;
      this.upper = 0xbf;
      this.need--;
    }
    return true;
  }

  /** False when the file ended in the middle of a character. */
  end(): boolean {
    return this.need === 0;
  }
}

/** Throws IMPORT_ENCODING, naming the line, when the file is not valid UTF-8. */
export async function assertUtf8File(file: string): Promise<void> {
  const checker = new Utf8Checker();
  for await (const chunk of createReadStream(file)) {
    if (!checker.push(chunk as Buffer)) throw notUtf8(checker.line);
  }
  if (!checker.end()) throw notUtf8(checker.line);
}

const notUtf8 = (line: number) =>
  encodingError(
    `the file is not UTF-8 (line ${line} holds bytes that are not): it was probably saved as Latin-1 / Windows-1252 by a spreadsheet; ` +
      'import it again declaring its encoding (herald recipients import --encoding windows-1252, or the encoding field of the import page), or save it as CSV UTF-8',
  );

/** Decodes a byte stream to text in the given encoding (a byte-order mark is dropped). */
export async function* decodeStream(input: AsyncIterable<Buffer | string>, encoding: string): AsyncGenerator<string> {
  const decoder = new TextDecoder(encoding);
  for await (const chunk of input) {
    const text = decoder.decode(typeof chunk === 'string' ? Buffer.from(chunk) : chunk, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}
