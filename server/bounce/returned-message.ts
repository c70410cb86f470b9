import type { ParsedMail } from 'mailparser';

/**
 * The returned original: its headers (for the sender-side addresses and the recipient of a
 * complaint) and the identifiers that tie a bounce to the message Herald sent.
 */

export type HeaderBlock = Map<string, string>;

/** The first header block in `text` (leading marker lines skipped), names lower case, first value kept. */
export function headerBlock(text: string): HeaderBlock {
  const out: HeaderBlock = new Map();
  const lines = text.slice(0, 256 * 1024).split(/\r?\n/);
  let i = lines.findIndex((l) => /^[A-Za-z][\w-]*:/.test(l));
  if (i < 0) return out;
  let last = '';
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') break;
    if (/^[ \t]/.test(line)) {
      if (last && out.get(last) !== undefined) out.set(last, `${out.get(last)} ${line.trim()}`);
      continue;
    }
    const m = /^([A-Za-z][\w-]*):\s*(.*)$/.exec(line);
    if (!m) break;
    last = m[1]!.toLowerCase();
    if (out.has(last)) last = '';
    else out.set(last, m[2]!.trim());
  }
  return out;
}

/**
 * Identifier-shaped strings: Herald Message-IDs (`h.<delivery>.<broad log>.<mac>@domain`, see
 * server/shared/tokens.ts) and VERP addresses (`prefix+<ids>-<mac>@domain`). Only a shape filter:
 * the caller verifies each candidate's signature.
 */
const CANDIDATES = /\bh\.[0-9a-z]{1,11}\.[0-9a-z]{1,11}\.[a-z2-7]{16}@[a-z0-9.-]+|[a-z0-9][a-z0-9._-]{0,19}\+[a-z2-7]{2,24}-[a-z2-7]{16}@[a-z0-9.-]+/gi;
const MAX_REFERENCES = 20;

/** Candidates for matching, in order of trust: the original's headers, the bounce's own headers, then anywhere. */
export function findReferences(mail: ParsedMail, parts: Array<{ type: string; content: string }>, original: HeaderBlock, raw: Buffer): string[] {
  const out = new Set<string>();
  const scan = (text: string | undefined) => {
    if (!text) return;
    for (const m of text.matchAll(CANDIDATES)) {
      if (out.size >= MAX_REFERENCES) return;
      out.add(m[0].toLowerCase().replace(/\.$/, ''));
    }
  };
  scan(original.get('message-id'));
  scan(original.get('return-path'));
  scan(mail.inReplyTo);
  scan(Array.isArray(mail.references) ? mail.references.join(' ') : mail.references);
  for (const part of parts) if (part.type.startsWith('message/') || part.type.startsWith('text/')) scan(part.content.slice(0, 256 * 1024));
  scan(typeof mail.text === 'string' ? mail.text.slice(0, 256 * 1024) : undefined);
  scan(raw.subarray(0, 1024 * 1024).toString('latin1'));
  return [...out];
}
