/**
 * Reading SMTP facts out of free text: the RFC 3463 enhanced status code, the SMTP reply code and
 * the command the remote server was answering. Pure; used on DSN diagnostic codes, human-readable
 * bounce texts and the MTA's own SMTP replies.
 */

/** `5.1.1`, not part of an IP address or a longer dotted number (`10.4.5.6`, `4.16.55.1`). */
const STATUS = /(?<![\w.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d]|\.\d)/g;
/** A failure reply code where replies are quoted: line start, after "said:", "<<<", "smtp;", "[", "(". */
const REPLY = /(?:^|[\s:;([>=])([45][0-5]\d)(?=[ \-:,\]]|$)/gm;
/** A success reply opening the text ("250 2.6.0 Message received"). */
const SUCCESS = /^\s*(2[05]\d)(?=[ -])/;

/** The most telling enhanced status code in `text`, if any: one right after a reply code
 * (`550-5.7.1`), else the first specific one, else X.0.0. */
export function findStatus(text: string): string | undefined {
  let first: string | undefined;
  let specific: string | undefined;
  for (const m of text.matchAll(STATUS)) {
    const code = `${m[1]}.${Number(m[2])}.${Number(m[3])}`;
    if (/[245]\d\d[ -]['"]?$/.test(text.slice(Math.max(0, m.index! - 5), m.index))) return code;
    first ??= code;
    if (!code.endsWith('.0.0')) specific ??= code;
  }
  return specific ?? first;
}

/** The first failure reply code quoted in `text`, or a success code the text opens with. */
export function findReplyCode(text: string): number | undefined {
  const m = REPLY.exec(text) ?? SUCCESS.exec(text);
  REPLY.lastIndex = 0;
  return m ? Number(m[1]) : undefined;
}

const COMMANDS: Array<[RegExp, string]> = [
  [
    /\b(?:after|in reply to|following|to|for|like our|response to)\s+(?:the\s+)?RCPT(?:\s+TO)?\b|\bRCPT\s*TO\s*(?:command|response)|\[RCPT_TO\]|SMTP:RCPT|>>> RCPT|does not like recipient|rejected recipient|most progress was RCPT/i,
    'RCPT',
  ],
  // MAIL only with FROM: "the following mail could not be delivered", "delivery to mail.example.org" are prose.
  [/\b(?:after|in reply to|following|to|like our)\s+(?:the\s+)?MAIL\s+FROM\b|>>> MAIL|sender was rejected|\[MAIL_FROM\]/i, 'MAIL'],
  [
    /\b(?:after|in reply to|following|like our)\s+(?:the\s+)?(?:end of (?:the\s+)?data|final data|data)\b|end of DATA command|for TEXT command|failed after I sent the message|\(DATA\b|>>> DATA|\[DATA\]|SMTP command\s+DATA/i,
    'DATA',
  ],
  [/\bafter (?:initial connection|connect|the greeting)|\b(?:HELO|EHLO) command|\bconnect(?:ion)? to\b.*\b(?:refused|timed out)/i, 'CONNECT'],
];

/** The SMTP command a quoted reply answered, when the text says (RCPT, MAIL, DATA, CONNECT). */
export function findCommand(text: string): string | undefined {
  for (const [pattern, command] of COMMANDS) if (pattern.test(text)) return command;
  return undefined;
}

/** Control characters (NUL breaks SQL drivers) and whitespace runs become one space. */
const NOISE = /[\s\u0000-\u001f\u007f]+/g;

/** Whitespace and control characters collapsed, trimmed, cut to `max` characters (texts are stored and matched this way). */
export function compactText(text: string, max = 2000): string {
  const flat = text.replace(NOISE, ' ').trim();
  return flat.length > max ? flat.slice(0, max) : flat;
}
