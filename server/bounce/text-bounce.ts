import type { BounceRecipient } from './types.js';
import { compactText, findCommand, findReplyCode, findStatus } from './smtp-reply.js';

/**
 * Human-readable non-delivery reports (qmail, Exim, Sendmail transcripts, Exchange, Gmail, Yahoo,
 * Domino…): which recipients failed and what the remote server said about each. The report part
 * ends where the returned original begins; inside it, a recipient is an address standing on its
 * own line, opening a line (`<user@example.com>:`), or named by RCPT TO / "delivering to"; each
 * recipient's text runs to the next recipient. Sendmail transcripts put the reply before the
 * recipient's summary line (`554 <user@example.com>... reason`), so those take the lines above.
 */

/**
 * An address. The look-behind makes a match start only where a run of local-part characters
 * starts: without it, a long run with no `@` (a line of base64) is rescanned from each of its
 * characters, quadratic in the line length. Runs and domains stop at `@`, so every character is
 * scanned a bounded number of times.
 */
const LOCAL = "A-Za-z0-9._%+!#$&'*/=?^`{|}~-";
const ADDRESS = new RegExp(`(?<![${LOCAL}])[${LOCAL}]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+`, 'g');

/**
 * Limits that keep a report's reading linear in its size: a report line is read up to MAX_LINE
 * characters (a longer line is pasted data: an image, an HTML blob), the context of a mention is
 * its MAX_CONTEXT characters to the left, and a report names at most MAX_RECIPIENTS recipients.
 */
const MAX_LINE = 4096;
const MAX_CONTEXT = 256;
const MAX_RECIPIENTS = 1000;

/** Where the copy of the original message starts in a report text. */
const ORIGINAL_STARTS = [
  /^\s*-{2,}.*\b(original message|copy of the (original )?message|below this line|returned message|unsent message|header of the original|enclosed is a copy|message headers)\b/i,
  /^\s*(original message (follows|headers)|below is a copy of the original message|message headers follow|the attachment contains the original)/i,
  /^\s*(Received|Return-Path|DKIM-Signature|Message-I[Dd]|X-Received|Authentication-Results|ARC-Seal):/,
  /^\s*Content-Type: (message\/rfc822|text\/rfc822-headers)/i,
];

/** The report part and the rest (the returned original, when quoted inline). */
export function splitAtOriginal(text: string): { report: string; rest: string } {
  const lines = text.split(/\r?\n/);
  const at = lines.findIndex((line, i) => i > 0 && ORIGINAL_STARTS.some((p) => p.test(line)));
  if (at < 0) return { report: text, rest: '' };
  return { report: lines.slice(0, at).join('\n'), rest: lines.slice(at).join('\n') };
}

/** Addresses a report names as the sender, not as a recipient. */
const SENDER_CONTEXT = /(?:\bmail from|(?:^|[\s,;])(?:from|sender|return-path|reply-to|to|cc)\s*:|envelope-from|\bF=\[)\s*[<"[(]?\s*$/i;
const RECIPIENT_CONTEXT =
  /(?:rcpt(?: to)?\s*:|recipient\s*:|address\s*:|\bT=\[|recipient\s*<|\b(?:mail|message|delivery|delivering|undeliverable|delivered)\b[^<>]{0,40}\bto:?\s*<?|user\s*:)\s*<?\s*$/i;
const BULLET = /^[\s*>•-]*(?:>>>\s*)?/;

interface Mention {
  address: string;
  line: number;
  strong: boolean;
  summary: boolean;
  /** Also a sender-side address of this message (kept only when nothing else is named). */
  sender: boolean;
}

function isAlone(line: string, address: string): boolean {
  if (line.length > 2 * MAX_CONTEXT) return false;
  const rest = line
    .replace(BULLET, '')
    .replace(/["<>]/g, ' ')
    .split(/\s+/)
    .filter((w) => w && w.toLowerCase() !== address && w !== ':');
  return rest.length === 0 || /^on$/i.test(rest[0]!) || /^\(expanded$/i.test(rest[0]!);
}

function mentionOf(line: string, index: number, m: RegExpMatchArray, senders: ReadonlySet<string>): Mention | undefined {
  const address = m[0].toLowerCase().replace(/\.$/, '');
  const left = line.slice(Math.max(0, m.index! - MAX_CONTEXT), m.index);
  const right = line.slice(m.index! + m[0].length, m.index! + m[0].length + MAX_CONTEXT);
  const named = RECIPIENT_CONTEXT.test(left);
  if (!named && SENDER_CONTEXT.test(left)) return undefined;
  const summary = /^\s*\d{3}\s+<$/.test(left) && /^>?\.\.\./.test(right);
  const opens = /^\s*[<"]?$/.test(left) && /^[>"]?(:|\s+\S)/.test(right);
  const closes = /(?::|\bto)\s*<?$/i.test(left) && /^>?\.?\s*$/.test(right);
  const strong = named || summary || opens || closes || isAlone(line, address);
  return { address, line: index, strong, summary, sender: senders.has(address) };
}

function mentionsOf(lines: string[], senders: ReadonlySet<string>, envelopeSenders: ReadonlySet<string>): Mention[] {
  const mentions: Mention[] = [];
  lines.forEach((line, index) => {
    for (const m of line.matchAll(ADDRESS)) {
      const mention = mentionOf(line, index, m, senders);
      if (mention && !envelopeSenders.has(mention.address)) mentions.push(mention);
    }
  });
  return mentions;
}

/** Recipients in order of evidence: named as recipients, then named but also a sender, then the first mention. */
function anchorsOf(mentions: Mention[]): Mention[] {
  const pools = [mentions.filter((m) => m.strong && !m.sender), mentions.filter((m) => m.strong), mentions.filter((m) => !m.sender).slice(0, 1)];
  const pool = pools.find((p) => p.length > 0) ?? [];
  const anchors: Mention[] = [];
  const seen = new Set<string>();
  for (const mention of pool) {
    if (seen.has(mention.address)) continue;
    seen.add(mention.address);
    anchors.push(mention);
    if (anchors.length >= MAX_RECIPIENTS) break;
  }
  return anchors;
}

/** The lines about one recipient: from its first strong mention to the next recipient's. */
function blockOf(lines: string[], anchors: Mention[], i: number): string[] {
  const anchor = anchors[i]!;
  const next = anchors[i + 1]?.line ?? lines.length;
  if (!anchor.summary) return lines.slice(anchor.line, next);
  let start = i > 0 ? anchors[i - 1]!.line + 1 : 0;
  for (let l = anchor.line - 1; l >= start; l--) {
    if (/^\s*while talking to\b/i.test(lines[l]!)) {
      start = l;
      break;
    }
  }
  return lines.slice(start, anchor.line + 1);
}

/** The recipient's own lines, or the whole report when they say nothing (the reason came first). */
function recipientFrom(address: string, block: string, report: () => string, only: boolean): BounceRecipient {
  const own = compactText(block);
  const saysSomething =
    own
      .split(address)
      .join('')
      .replace(/[\s<>:"*]/g, '').length >= 12;
  const text = saysSomething && (!only || findReplyCode(own) || findStatus(own)) ? own : report();
  const recipient: BounceRecipient = { address, text };
  const status = findStatus(text);
  if (status) recipient.status = status;
  const smtpCode = findReplyCode(text);
  if (smtpCode) recipient.smtpCode = smtpCode;
  const command = findCommand(text);
  if (command) recipient.command = command;
  return recipient;
}

/**
 * The failed recipients of a human-readable report. `exclude` holds the sender-side addresses
 * (the bounce's From and To, the original's From and Return-Path); `fallback` is used when the
 * report names nobody (typically the returned original's To).
 */
export function textBounceRecipients(reportText: string, exclude: ReadonlySet<string>, fallback?: string): BounceRecipient[] {
  const { report } = splitAtOriginal(reportText);
  const lines = report.split(/\r?\n/).map((line) => (line.length > MAX_LINE ? line.slice(0, MAX_LINE) : line));
  let compactReport: string | undefined;
  const compactedReport = () => (compactReport ??= compactText(lines.join('\n')));
  const envelopeSenders = new Set<string>();
  for (const line of lines) for (const m of line.matchAll(/mail from:\s*<?([^\s<>]+@[^\s<>]+)>?/gi)) envelopeSenders.add(m[1]!.toLowerCase());
  const anchors = anchorsOf(mentionsOf(lines, exclude, envelopeSenders));
  if (anchors.length === 0) return fallback ? [recipientFrom(fallback.toLowerCase(), '', compactedReport, true)] : [];
  return anchors.map((anchor, i) => recipientFrom(anchor.address, blockOf(lines, anchors, i).join('\n'), compactedReport, anchors.length === 1));
}

/** Every distinct address in `text`, lower case (for header values such as X-Failed-Recipients). */
export function addressesIn(text: string): string[] {
  return [...new Set([...text.matchAll(ADDRESS)].map((m) => m[0].toLowerCase()))];
}
