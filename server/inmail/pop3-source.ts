import { Pop3Client, type Pop3Listing } from './pop3-client.js';
import { pause, portOf, tlsOptionsOf, type FinishedMessage, type MailboxConfig, type MailboxSource, type SourceMessage } from './mailbox-source.js';

/**
 * A bounce mailbox over POP3: one session per round. Keys are UIDLs; finish() marks the processed
 * messages deleted and ends the session with QUIT, when the server deletes them. A session that
 * breaks before QUIT deletes nothing, and the next round finds the messages again (already
 * recorded, so they are only deleted).
 */
export class Pop3Source implements MailboxSource {
  private session: Pop3Client | undefined;
  private listing = new Map<string, Pop3Listing>();

  constructor(
    private readonly mailbox: MailboxConfig,
    private readonly maxMessageBytes: number,
  ) {}

  private async open(): Promise<Pop3Client> {
    if (this.session) return this.session;
    const m = this.mailbox;
    this.session = await Pop3Client.connect({
      host: m.host,
      port: portOf(m),
      tls: m.tls,
      tlsOptions: tlsOptionsOf(m),
      user: m.user,
      password: m.password,
      timeoutMs: m.timeoutSeconds * 1000,
      maxResponseBytes: this.maxMessageBytes + 64 * 1024,
    });
    return this.session;
  }

  async list(): Promise<SourceMessage[]> {
    const session = await this.open();
    const listed = await session.list();
    this.listing = new Map(listed.map((l) => [l.uid, l]));
    return listed.map((l) => ({ key: l.uid }));
  }

  async fetch(
    keys: readonly string[],
    maxBytes: number,
    take: (key: string, raw: Buffer) => Promise<void>,
    skip: (key: string, size: number) => void,
  ): Promise<void> {
    const session = await this.open();
    for (const key of keys) {
      const listed = this.listing.get(key);
      if (!listed) continue;
      if (listed.size > maxBytes) skip(key, listed.size);
      else await take(key, await session.retrieve(listed.n));
    }
  }

  async finish(done: readonly FinishedMessage[]): Promise<void> {
    const session = this.session;
    if (!session) return;
    for (const { key } of done) {
      const listed = this.listing.get(key);
      if (listed) await session.delete(listed.n);
    }
    this.session = undefined;
    this.listing.clear();
    try {
      await session.quit();
    } catch (err) {
      session.close();
      throw err;
    }
  }

  wait(ms: number, signal: AbortSignal): Promise<void> {
    return pause(ms, signal);
  }

  async close(): Promise<void> {
    this.session?.close();
    this.session = undefined;
    this.listing.clear();
  }
}
