import { createHash } from 'node:crypto';

/**
 * The invariant MIME structure of a delivery, built once: boundary, part headers and the content
 * headers of each layout (multipart/alternative, HTML only, text only). Per message only the bodies
 * are encoded and put between the fixed pieces.
 */

export type Layout = 'alternative' | 'html' | 'text';

/** A header line with its name (for DKIM). */
export interface ContentHeader {
  name: string;
  line: string;
}

export interface MimeSkeleton {
  /** `MIME-Version` and `Content-Type` (+ `Content-Transfer-Encoding`) header lines per layout. */
  contentHeaders: Record<Layout, readonly ContentHeader[]>;
  textHead: Buffer;
  htmlHead: Buffer;
  middle: Buffer;
  close: Buffer;
}

const CRLF = Buffer.from('\r\n');

/** The boundary never occurs in quoted-printable output ("=_" cannot be produced by the encoder). */
export function mimeSkeleton(seed: string): MimeSkeleton {
  const boundary = `=_herald_${createHash('sha256').update(seed).digest('hex').slice(0, 24)}`;
  const qp = 'Content-Transfer-Encoding: quoted-printable\r\n';
  const part = (type: string) => Buffer.from(`--${boundary}\r\nContent-Type: ${type}; charset=utf-8\r\n${qp}\r\n`);
  const lines = (text: string) => text.split(/(?<=\r\n)/).map((line) => ({ name: line.slice(0, line.indexOf(':')), line }));
  return {
    contentHeaders: {
      alternative: lines(`MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary="${boundary}"\r\n`),
      html: lines(`MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n${qp}`),
      text: lines(`MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n${qp}`),
    },
    textHead: part('text/plain'),
    htmlHead: part('text/html'),
    middle: CRLF,
    close: Buffer.from(`\r\n--${boundary}--\r\n`),
  };
}

/**
 * The body of one message, as pieces (joined once, with the headers), from its parts already
 * encoded (SegmentEncoder; a single part without its final line breaks). It is in DKIM relaxed
 * canonical form (see quoted-printable.ts), with no trailing empty lines, so it can be hashed as is.
 */
export function mimeBody(s: MimeSkeleton, layout: Layout, text: Buffer, html: Buffer): Buffer[] {
  if (layout === 'alternative') return [s.textHead, text, s.middle, s.htmlHead, html, s.close];
  const single = layout === 'html' ? html : text;
  return single.length === 0 ? [] : [single, CRLF];
}
