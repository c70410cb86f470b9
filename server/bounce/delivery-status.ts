import type { BounceRecipient } from './types.js';
import { compactText, findCommand, findReplyCode, findStatus } from './smtp-reply.js';

/**
 * RFC 3464 delivery-status fields: a per-message block, then one block per recipient. Mail servers
 * are sloppy (missing blank lines, fields in the human-readable part), so a new recipient starts at
 * every Final-Recipient/Original-Recipient that would repeat one, not only after a blank line.
 */

type Fields = Map<string, string>;

/** Unfolded `Name: value` lines (names lower case); other lines are ignored. */
function fieldLines(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const line of text.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && out.length > 0) {
      out[out.length - 1]![1] += ` ${line.trim()}`;
      continue;
    }
    const m = /^([A-Za-z][A-Za-z0-9-]*):[ \t]*(.*)$/.exec(line);
    if (m) out.push([m[1]!.toLowerCase(), m[2]!.trim()]);
    else if (line.trim() === '') out.push(['', '']);
    // An unfolded continuation (a multi-line reply pasted without indentation).
    else if (out.length > 0 && out[out.length - 1]![0] !== '') out[out.length - 1]![1] += ` ${line.trim()}`;
  }
  return out;
}

const RECIPIENT_START = new Set(['final-recipient', 'original-recipient']);

function recipientBlocks(text: string): Fields[] {
  const blocks: Fields[] = [new Map()];
  for (const [name, value] of fieldLines(text)) {
    let current = blocks[blocks.length - 1]!;
    if ((name === '' && current.size > 0) || (RECIPIENT_START.has(name) && current.has(name))) blocks.push((current = new Map()));
    if (name !== '' && !current.has(name)) current.set(name, value);
  }
  return blocks.filter((b) => b.has('final-recipient') || b.has('original-recipient') || (b.has('action') && b.has('status')));
}

/** `rfc822; <User@Example.com>` → `user@example.com` ('' when it is not an address). */
export function addressOf(value: string | undefined): string {
  if (!value) return '';
  const raw = value.includes(';') ? value.slice(value.indexOf(';') + 1) : value;
  const m = /<?([^\s<>;"]+@[^\s<>;"]+?)>?\s*$/.exec(raw.trim());
  return m ? m[1]!.toLowerCase().replace(/\.$/, '') : '';
}

/** `smtp; 550 5.1.1 …` → `550 5.1.1 …` */
function diagnosticOf(value: string | undefined): string {
  if (!value) return '';
  return compactText(value.replace(/^\s*(smtp|x-[\w-]+|x400|unix|mail)\s*;\s*/i, ''));
}

function recipientOf(fields: Fields): BounceRecipient | undefined {
  const address = addressOf(fields.get('final-recipient')) || addressOf(fields.get('original-recipient')) || addressOf(fields.get('x-actual-recipient'));
  const text = diagnosticOf(fields.get('diagnostic-code'));
  const statusField = findStatus(fields.get('status') ?? '');
  const textStatus = findStatus(text);
  // The code the remote server quoted is more precise than the reporting server's summary.
  const status = textStatus ?? statusField;
  const action = fields
    .get('action')
    ?.toLowerCase()
    .split(/[\s(;]/)[0];
  if (!address && !text && !status) return undefined;
  const recipient: BounceRecipient = { address, text };
  if (action) recipient.action = action;
  if (status) recipient.status = status;
  const smtpCode = findReplyCode(text);
  if (smtpCode) recipient.smtpCode = smtpCode;
  const command = findCommand(text);
  if (command) recipient.command = command;
  const remote = fields.get('remote-mta');
  if (remote) recipient.remoteMta = compactText(remote.replace(/^\s*dns\s*;\s*/i, ''), 255);
  return recipient;
}

/** The recipients of a delivery-status body (or of a text that carries its fields inline). */
export function parseDeliveryStatus(text: string): BounceRecipient[] {
  return recipientBlocks(text)
    .map(recipientOf)
    .filter((r): r is BounceRecipient => r !== undefined);
}

/** True when `text` holds RFC 3464 per-recipient fields (some servers put them in the text part). */
export function hasDeliveryStatusFields(text: string): boolean {
  return /^(final-recipient|original-recipient):/im.test(text) && /^(action|status):/im.test(text);
}
