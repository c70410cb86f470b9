import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { MailboxOutcome } from '../db/repos/inmail-mailboxes.js';
import type { HeraldConfig } from '../shared/config/schema.js';

/**
 * What a bounce mailbox reader needs from a server, whatever its protocol: list the messages of
 * the folder, fetch some, then finish the processed ones (move them on IMAP, delete them on POP3)
 * once their effects are stored, and wait for new mail. imap-source.ts and pop3-source.ts
 * implement it.
 */

export type MailboxConfig = HeraldConfig['inmail']['mailboxes'][number];

export interface SourceMessage {
  /** Stable id of the message in its folder: `<UIDVALIDITY>:<UID>` (IMAP) or the UIDL (POP3). */
  key: string;
}

export interface FinishedMessage {
  key: string;
  outcome: MailboxOutcome;
}

export interface MailboxSource {
  /** Connects when needed and lists the messages of the folder. */
  list(): Promise<SourceMessage[]>;
  /**
   * Fetches messages (of the last listing), handing each raw message to `take` in turn; a message
   * larger than `maxBytes` is not fetched but handed to `skip` with its size.
   */
  fetch(keys: readonly string[], maxBytes: number, take: (key: string, raw: Buffer) => Promise<void>, skip: (key: string, size: number) => void): Promise<void>;
  /** Moves or deletes finished messages; resolves once the server confirmed. Ends a POP3 session. */
  finish(done: readonly FinishedMessage[]): Promise<void>;
  /** Waits for new mail (IMAP IDLE) or `ms`, whichever comes first, or until `signal` aborts. */
  wait(ms: number, signal: AbortSignal): Promise<void>;
  /** Closes the connection (a POP3 session without QUIT deletes nothing). */
  close(): Promise<void>;
}

const DEFAULT_PORTS = { imap: { implicit: 993, starttls: 143, none: 143 }, pop3: { implicit: 995, starttls: 110, none: 110 } } as const;

/** The port to connect to: the configured one, or the protocol's standard port for the TLS mode. */
export function portOf(mailbox: MailboxConfig): number {
  return mailbox.port || DEFAULT_PORTS[mailbox.protocol][mailbox.tls];
}

/** TLS options: certificates are checked unless the mailbox says otherwise; `caFile` adds a CA. */
export function tlsOptionsOf(mailbox: MailboxConfig): ConnectionOptions {
  return {
    rejectUnauthorized: mailbox.verifyCertificate,
    ...(mailbox.caFile ? { ca: readFileSync(mailbox.caFile) } : {}),
    minVersion: 'TLSv1.2',
  };
}

/**
 * What went wrong, for the log and the monitoring page: the error's message with the server's own
 * words when it gave some (imapflow puts them in `responseText`); never a password (no client
 * error carries one).
 */
export function mailboxError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const server = (err as { responseText?: unknown }).responseText;
  const first = err.message.split('\n')[0] ?? err.name;
  return typeof server === 'string' && server && !first.includes(server) ? `${first}: ${server}` : first;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}
