import type { Database } from '../db/connect.js';
import { forgetMailboxMessages, noteMailboxPoll, processedMessages } from '../db/repos/inmail-mailboxes.js';
import type { Logger } from '../shared/logger.js';
import { mailboxError, pause, portOf, type FinishedMessage, type MailboxConfig, type MailboxSource } from './mailbox-source.js';
import type { Processor, SettledMessage } from './processor.js';
import type { Envelope, Spool, SpoolEntry } from './spool.js';

/**
 * Reads one bounce mailbox in named steps, round after round:
 *   list     the keys of the folder's messages
 *   fetch    new ones, each spooled durably before anything else (as SMTP bounces are), and hand
 *            them to the processor without waiting (at most two batches in flight)
 *   finish   the ones whose effects are committed (move them / delete them, then forget them):
 *            a batch fetched in one round is finished in a later one, while the next is fetched
 * then waits for new mail. A message leaves the mailbox only once its effects are stored; a crash
 * anywhere leaves it there or in the spool, and the row written with its effects makes a second
 * fetch change nothing. Errors are logged, shown on the monitoring page and retried with backoff.
 */

export interface MailboxReaderDeps {
  mailbox: MailboxConfig;
  source: MailboxSource;
  db: Database;
  spool: Spool;
  processor: Processor;
  log: Logger;
  maxMessageBytes: number;
  now?: () => Date;
}

const MAX_BACKOFF_MS = 5 * 60_000;
const HEADER_SCAN = 64 * 1024;
const ADDRESS = /[^\s<>,;:"()[\]]+@[^\s<>,;:"()[\]]+/g;

/** Envelope recipients of a message read from a mailbox: Delivered-To (or X-Original-To, Envelope-To, To). */
export function recipientsOf(raw: Buffer): string[] {
  const text = raw.subarray(0, HEADER_SCAN).toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const head = (end < 0 ? text : text.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  for (const name of ['delivered-to', 'x-original-to', 'envelope-to', 'to']) {
    const values = [...head.matchAll(new RegExp(`^${name}:(.*)$`, 'gim'))].map((m) => m[1]!);
    const addresses = values.flatMap((v) => [...v.matchAll(ADDRESS)].map((m) => m[0].toLowerCase()));
    if (addresses.length > 0) return [...new Set(addresses)].slice(0, 20);
  }
  return [];
}

/** The envelope's sender: the Return-Path header ('' for a bounce's null sender). */
function senderOf(raw: Buffer): string {
  const text = raw.subarray(0, HEADER_SCAN).toString('latin1');
  const m = /^return-path:\s*<?([^\s<>]*)>?/im.exec(text);
  return m ? m[1]! : '';
}

export class MailboxReader {
  private readonly stopping = new AbortController();
  private running: Promise<void> | undefined;
  /** Keys spooled and not yet settled (this run's fetches and the spool's leftovers). */
  private readonly pending = new Set<string>();
  /** Keys this run will not fetch again: too large, or parked because their effects could not be stored. */
  private readonly held = new Set<string>();
  private readonly now: () => Date;
  /** Wakes a round waiting for the processor's progress. */
  private wake: (() => void) | undefined;

  constructor(private readonly deps: MailboxReaderDeps) {
    this.now = deps.now ?? (() => new Date());
    deps.processor.onSettled((settled) => this.settled(settled));
  }

  /** Marks messages of this mailbox left in the spool by an earlier run: they are processed from there, not fetched again. */
  adopt(entries: readonly SpoolEntry[]): void {
    for (const e of entries) if (e.envelope.source?.mailbox === this.deps.mailbox.name) this.pending.add(e.envelope.source.key);
  }

  private settled(settled: readonly SettledMessage[]): void {
    let ours = false;
    for (const { entry, outcome } of settled) {
      const source = entry.envelope.source;
      if (source?.mailbox !== this.deps.mailbox.name) continue;
      ours = true;
      this.pending.delete(source.key);
      if (outcome === 'parked') this.held.add(source.key);
    }
    if (ours) this.wake?.();
  }

  start(): void {
    const m = this.deps.mailbox;
    this.deps.log.info('INMAIL_MAILBOX_STARTED', {
      mailbox: m.name,
      protocol: m.protocol,
      host: m.host,
      port: portOf(m),
      tls: m.tls,
      folder: m.protocol === 'imap' ? m.folder : 'INBOX',
    });
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
    await this.deps.source.close();
  }

  private async loop(): Promise<void> {
    const { mailbox, source, log } = this.deps;
    let backoffMs = 1000;
    while (!this.stopping.signal.aborted) {
      try {
        await this.round();
        await noteMailboxPoll(this.deps.db, mailbox.name, this.now());
        backoffMs = 1000;
        await source.wait(mailbox.pollSeconds * 1000, this.stopping.signal);
      } catch (err) {
        if (this.stopping.signal.aborted) break;
        const message = mailboxError(err);
        log.error('INMAIL_MAILBOX_ERROR', { mailbox: mailbox.name, err: message, retryInMs: backoffMs });
        await noteMailboxPoll(this.deps.db, mailbox.name, this.now(), message).catch(() => undefined);
        await source.close().catch(() => undefined);
        await source.wait(backoffMs, this.stopping.signal);
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
      }
    }
  }

  /** Rounds of list → finish → fetch until the folder holds nothing new and nothing is in flight. */
  private async round(): Promise<void> {
    const { mailbox, source, db } = this.deps;
    while (!this.stopping.signal.aborted) {
      // Taken before reading what is recorded: a message that settles after that read is finished
      // by the next pass, not left in the folder until new mail or the next poll.
      const inFlight = this.pending.size;
      const listed = await source.list();
      const present = new Set(listed.map((l) => l.key));
      const recorded = await processedMessages(db, mailbox.name);
      // A recorded message still pending has its effects committed but its spool entry not yet
      // removed: its row stays until it settles, or a crash now would process the spooled copy
      // again after the row that proves it done was forgotten.
      const settled = [...recorded].filter(([key]) => !this.pending.has(key));
      // Rows of messages no longer in the folder: moved or deleted before a crash.
      await forgetMailboxMessages(
        db,
        mailbox.name,
        settled.filter(([key]) => !present.has(key)).map(([key]) => key),
      );
      const room = 2 * mailbox.batchSize - this.pending.size;
      const fresh =
        room > 0
          ? listed.filter((l) => !recorded.has(l.key) && !this.pending.has(l.key) && !this.held.has(l.key)).slice(0, Math.min(room, mailbox.batchSize))
          : [];
      const fetched = fresh.length > 0 ? await this.fetch(fresh.map((f) => f.key)) : 0;
      // Finished after the fetch: on POP3 finishing ends the session.
      const finished: FinishedMessage[] = settled.filter(([key]) => present.has(key)).map(([key, outcome]) => ({ key, outcome }));
      await source.finish(finished);
      await forgetMailboxMessages(
        db,
        mailbox.name,
        finished.map((f) => f.key),
      );
      if (fetched > 0 || finished.length > 0)
        this.deps.log.info('INMAIL_MAILBOX_READ', { mailbox: mailbox.name, fetched, finished: finished.length, inFlight: this.pending.size });
      if (fresh.length === 0 && inFlight === 0) return;
      if (fresh.length === 0 && this.pending.size > 0) await this.progress(mailbox.pollSeconds * 1000);
    }
  }

  /** Resolves when a message of this mailbox settles, after `ms`, or on stop. */
  private progress(ms: number): Promise<void> {
    const wake = new AbortController();
    const abort = () => wake.abort();
    this.stopping.signal.addEventListener('abort', abort);
    this.wake = abort;
    return pause(ms, wake.signal).finally(() => {
      this.wake = undefined;
      this.stopping.signal.removeEventListener('abort', abort);
    });
  }

  /** Fetches and spools messages, then hands them to the processor; returns how many were spooled. */
  private async fetch(keys: readonly string[]): Promise<number> {
    const { mailbox, source, spool, processor, log } = this.deps;
    const entries: SpoolEntry[] = [];
    const writes: Array<Promise<void>> = [];
    const take = (key: string, raw: Buffer): Promise<void> => {
      const envelope: Envelope = {
        mailFrom: senderOf(raw),
        rcptTo: recipientsOf(raw),
        remoteAddress: `${mailbox.protocol}://${mailbox.host}`,
        receivedAt: this.now().toISOString(),
        source: { mailbox: mailbox.name, key },
      };
      // Writes run concurrently so that the spool's journal shares one fdatasync among them.
      const write = spool.store(envelope, raw).then((entry) => {
        entries.push(entry);
        this.pending.add(key);
      });
      writes.push(write);
      return Promise.resolve();
    };
    const skip = (key: string, size: number) => {
      this.held.add(key);
      log.warn('INMAIL_MAILBOX_SKIPPED', { mailbox: mailbox.name, key, size });
    };
    let failure: unknown;
    await source.fetch(keys, this.deps.maxMessageBytes, take, skip).catch((err: unknown) => (failure = err));
    const stored = await Promise.allSettled(writes);
    // Whatever was spooled is processed, even when the fetch or a write broke halfway.
    if (entries.length > 0) processor.enqueue(entries);
    failure ??= stored.find((r): r is PromiseRejectedResult => r.status === 'rejected')?.reason;
    if (failure !== undefined) throw failure instanceof Error ? failure : new Error(String(failure));
    return entries.length;
  }
}
