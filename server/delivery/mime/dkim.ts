import { createHash, sign, type KeyObject } from 'node:crypto';

/**
 * DKIM signing (RFC 6376) with node:crypto: relaxed/relaxed canonicalization, rsa-sha256 (RFC 8301:
 * keys of 2048 bits or more) and optionally ed25519-sha256 (RFC 8463) as a second signature.
 * Never `l=` (RFC 6376 §8.2: a body-length limit lets anyone append content). Oversigning is done by
 * the caller listing a header name more often than it appears (or once when it is absent), so
 * nobody can add that header after signing.
 */

export type DkimAlgorithm = 'rsa-sha256' | 'ed25519-sha256';

export interface DkimKey {
  domain: string;
  selector: string;
  algorithm: DkimAlgorithm;
  privateKey: KeyObject;
}

/** One header field as written: its name and its full text, folding and final CRLF included. */
export interface HeaderField {
  name: string;
  line: string;
}

/** RFC 6376 §3.4.2: lower-case name, unfolded value, whitespace runs collapsed, trimmed. */
export function relaxedHeader(line: string): string {
  const colon = line.indexOf(':');
  const name = line.slice(0, colon).trim().toLowerCase();
  const value = line
    .slice(colon + 1)
    .replace(/\r\n/g, '')
    .replace(/[ \t]+/g, ' ')
    .trim();
  return `${name}:${value}`;
}

/** The header text signed for `names` (bottom-up instance selection; missing instances sign nothing). */
function signedHeaders(fields: readonly HeaderField[], names: readonly string[]): string {
  const used = new Set<number>();
  let out = '';
  for (const name of names) {
    for (let i = fields.length - 1; i >= 0; i--) {
      if (used.has(i) || fields[i]!.name.toLowerCase() !== name) continue;
      used.add(i);
      out += `${relaxedHeader(fields[i]!.line)}\r\n`;
      break;
    }
  }
  return out;
}

export function bodyHash(body: readonly Buffer[]): string {
  const hash = createHash('sha256');
  for (const piece of body) hash.update(piece);
  return hash.digest('base64');
}

function fold(value: string, width: number): string {
  const lines: string[] = [];
  for (let i = 0; i < value.length; i += width) lines.push(value.slice(i, i + width));
  return lines.join('\r\n ');
}

/**
 * The `DKIM-Signature:` header line (with CRLF) for a message whose header fields are `fields` and
 * whose canonical body hashes to `bh`. `names` are lower-case header names, repeated to oversign.
 */
export function dkimSignatureLine(key: DkimKey, fields: readonly HeaderField[], names: readonly string[], bh: string, now: Date): string {
  const head =
    `DKIM-Signature: v=1; a=${key.algorithm}; c=relaxed/relaxed; d=${key.domain};\r\n` +
    ` s=${key.selector}; t=${Math.floor(now.getTime() / 1000)};\r\n` +
    ` h=${names.join(':')};\r\n` +
    ` bh=${bh};\r\n b=`;
  const data = Buffer.from(signedHeaders(fields, names) + relaxedHeader(head), 'utf8');
  const signature =
    key.algorithm === 'rsa-sha256' ? sign('sha256', data, key.privateKey) : sign(null, createHash('sha256').update(data).digest(), key.privateKey);
  return `${head}${fold(signature.toString('base64'), 72)}\r\n`;
}
