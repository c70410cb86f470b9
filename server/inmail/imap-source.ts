import { ImapFlow } from 'imapflow';
import { pause, portOf, tlsOptionsOf, type FinishedMessage, type MailboxConfig, type MailboxSource, type SourceMessage } from './mailbox-source.js';

/**
 * A bounce mailbox over IMAP (imapflow): the folder stays selected; keys are
 * `<UIDVALIDITY>:<UID>`; processed messages are moved with UID MOVE (COPY + EXPUNGE where MOVE is
 * missing) into the processed or unrecognised folder, created when missing. New mail is awaited
 * with IDLE when the server offers it and `idle` is on, else by polling.
 */

function uidOf(key: string): number {
  return Number(key.slice(key.indexOf(':') + 1));
}

export class ImapSource implements MailboxSource {
  private client: ImapFlow | undefined;
  private uidValidity = '';
  private readonly created = new Set<string>();
  private news: (() => void) | undefined;
  /** New mail announced while no wait() was listening: the next wait() returns at once. */
  private announced = false;

  constructor(private readonly mailbox: MailboxConfig) {}

  private async connected(): Promise<ImapFlow> {
    if (this.client?.usable) return this.client;
    await this.close();
    const m = this.mailbox;
    const client = new ImapFlow({
      host: m.host,
      port: portOf(m),
      secure: m.tls === 'implicit',
      doSTARTTLS: m.tls === 'starttls' ? true : m.tls === 'none' ? false : undefined,
      tls: tlsOptionsOf(m),
      auth: { user: m.user, pass: m.password },
      logger: false,
      disableAutoIdle: !m.idle,
      autoIdleDelay: 1000,
      connectionTimeout: m.timeoutSeconds * 1000,
      greetingTimeout: m.timeoutSeconds * 1000,
      socketTimeout: Math.max(m.timeoutSeconds * 1000, 5 * 60_000),
      maxIdleTime: m.pollSeconds * 1000,
      clientInfo: { name: 'Herald inMail' },
    });
    // A dropped connection is noticed by the next command; the error event must have a listener.
    client.on('error', () => undefined);
    client.on('exists', () => {
      if (this.news) this.news();
      else this.announced = true;
    });
    await client.connect();
    const opened = await client.mailboxOpen(m.folder);
    this.uidValidity = String(opened.uidValidity);
    this.client = client;
    return client;
  }

  /** UID SEARCH ALL: cheap whatever the folder's size (and, without IDLE, how the server tells of new mail). */
  async list(): Promise<SourceMessage[]> {
    const client = await this.connected();
    this.announced = false;
    const uids = (await client.search({ all: true }, { uid: true })) || [];
    return uids.map((uid) => ({ key: `${this.uidValidity}:${uid}` }));
  }

  async fetch(
    keys: readonly string[],
    maxBytes: number,
    take: (key: string, raw: Buffer) => Promise<void>,
    skip: (key: string, size: number) => void,
  ): Promise<void> {
    if (keys.length === 0) return;
    const client = await this.connected();
    const range = keys.map(uidOf).join(',');
    const fitting = new Set<string>();
    for (const msg of await client.fetchAll(range, { uid: true, size: true }, { uid: true })) {
      const key = `${this.uidValidity}:${msg.uid}`;
      if ((msg.size ?? 0) > maxBytes) skip(key, msg.size ?? 0);
      else fitting.add(key);
    }
    if (fitting.size === 0) return;
    for await (const msg of client.fetch([...fitting].map(uidOf).join(','), { uid: true, source: true }, { uid: true })) {
      const key = `${this.uidValidity}:${msg.uid}`;
      if (fitting.has(key) && msg.source) await take(key, msg.source);
    }
  }

  private async ensureFolder(client: ImapFlow, folder: string): Promise<void> {
    if (this.created.has(folder)) return;
    const exists = (await client.list()).some((f) => f.path === folder);
    if (!exists) await client.mailboxCreate(folder);
    this.created.add(folder);
  }

  async finish(done: readonly FinishedMessage[]): Promise<void> {
    if (done.length === 0) return;
    const client = await this.connected();
    const folders: Array<[string, FinishedMessage['outcome']]> = [
      [this.mailbox.processedFolder, 'processed'],
      [this.mailbox.unrecognisedFolder, 'unrecognised'],
    ];
    for (const [folder, outcome] of folders) {
      const uids = done.filter((d) => d.outcome === outcome && d.key.startsWith(`${this.uidValidity}:`)).map((d) => uidOf(d.key));
      if (uids.length === 0) continue;
      await this.ensureFolder(client, folder);
      const moved = await client.messageMove(uids.join(','), folder, { uid: true });
      if (!moved) throw new Error(`the server refused to move ${uids.length} message(s) to ${folder}`);
    }
  }

  wait(ms: number, signal: AbortSignal): Promise<void> {
    if (this.announced) {
      this.announced = false;
      return Promise.resolve();
    }
    const stop = new AbortController();
    const abort = () => stop.abort();
    signal.addEventListener('abort', abort);
    this.news = abort;
    return pause(ms, stop.signal).finally(() => {
      this.news = undefined;
      signal.removeEventListener('abort', abort);
    });
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    try {
      if (client.usable) await client.logout();
    } catch {
      client.close();
    }
  }
}
