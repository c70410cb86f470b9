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
const MESSAGE_ID = /h\.[0-9a-z]{1,11}\.[0-9a-z]{1,11}\.[a-z2-7]{16}@[a-z0-9.-]+/iy;
const VERP_TAIL = /\+[a-z2-7]{2,24}-[a-z2-7]{16}@[a-z0-9.-]+/iy;
const LOCAL_CHAR = /[a-z0-9._-]/i;
const MAX_REFERENCES = 20;

/** Candidates in `text`, found from their anchors ("h." and "+") instead of trying every offset. */
function* candidates(text: string): Generator<string> {
  for (let at = text.indexOf('h.'); at >= 0; at = text.indexOf('h.', at + 2)) {
    if (at > 0 && /[\w.]/.test(text[at - 1]!)) continue;
    MESSAGE_ID.lastIndex = at;
    const m = MESSAGE_ID.exec(text);
    if (m) yield m[0];
  }
  for (let at = text.indexOf('+'); at >= 0; at = text.indexOf('+', at + 1)) {
    VERP_TAIL.lastIndex = at;
    const m = VERP_TAIL.exec(text);
    if (!m) continue;
    let start = at;
    while (start > 0 && at - start < 20 && LOCAL_CHAR.test(text[start - 1]!)) start--;
    if (start < at) yield text.slice(start, at) + m[0];
  }
}

/** Candidates for matching, in order of trust: the original's headers, the bounce's own headers, then anywhere. */
export function findReferences(mail: ParsedMail, parts: Array<{ type: string; content: string }>, original: HeaderBlock, raw: Buffer): string[] {
  const out = new Set<string>();
  const scan = (text: string | undefined) => {
    if (!text) return;
    for (const candidate of candidates(text)) {
      if (out.size >= MAX_REFERENCES) return;
      out.add(candidate.toLowerCase().replace(/\.$/, ''));
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
