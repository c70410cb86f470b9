import { ImapFlow } from 'imapflow';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DovecotServer } from '../helpers/dovecot.js';

/** An IMAP client of the test Dovecot, for what the tests put in and read back from a mailbox. */
async function client(server: DovecotServer, user: string): Promise<ImapFlow> {
  const password = server.users.find((u) => u.user === user)!.password;
  const imap = new ImapFlow({ host: '127.0.0.1', port: server.ports.imap, secure: false, doSTARTTLS: false, auth: { user, pass: password }, logger: false });
  imap.on('error', () => undefined);
  await imap.connect();
  return imap;
}

/** Appends messages to a user's INBOX over IMAP (as a mail client or an MDA would). */
export async function appendMessages(server: DovecotServer, user: string, messages: readonly Buffer[]): Promise<void> {
  const imap = await client(server, user);
  try {
    for (const raw of messages) await imap.append('INBOX', raw);
  } finally {
    await imap.logout();
  }
}

/** Messages in each folder (0 for a folder that does not exist). */
export async function folderCounts(server: DovecotServer, user: string, folders: readonly string[]): Promise<Record<string, number>> {
  const imap = await client(server, user);
  try {
    const existing = new Set((await imap.list()).map((f) => f.path));
    const out: Record<string, number> = {};
    for (const folder of folders) {
      const status = existing.has(folder) ? await imap.status(folder, { messages: true }) : false;
      out[folder] = status ? (status.messages ?? 0) : 0;
    }
    return out;
  } finally {
    await imap.logout();
  }
}

/** The Message-IDs of the messages in a folder. */
export async function messageIdsIn(server: DovecotServer, user: string, folder: string): Promise<string[]> {
  const imap = await client(server, user);
  try {
    const box = await imap.mailboxOpen(folder);
    if (box.exists === 0) return [];
    return (await imap.fetchAll('1:*', { envelope: true })).map((m) => m.envelope?.messageId ?? '');
  } finally {
    await imap.logout();
  }
}

/** Waits until `check` returns true (polled every 50 ms), failing after `ms` with `what`. */
export async function until(check: () => Promise<boolean> | boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

export interface MailboxSpec {
  name: string;
  protocol: 'imap' | 'pop3';
  tls: 'implicit' | 'starttls' | 'none';
  user?: string;
  /** Settings that replace the defaults below. */
  set?: Record<string, string | number | boolean>;
}

function portFor(server: DovecotServer, spec: MailboxSpec): number {
  if (spec.protocol === 'imap') return spec.tls === 'implicit' ? server.ports.imaps : server.ports.imap;
  return spec.tls === 'implicit' ? server.ports.pop3s : server.ports.pop3;
}

export function mailboxToml(server: DovecotServer, spec: MailboxSpec): string {
  const user = server.users.find((u) => u.user === (spec.user ?? 'bounces'))!;
  const settings = {
    name: spec.name,
    protocol: spec.protocol,
    host: '127.0.0.1',
    port: portFor(server, spec),
    tls: spec.tls,
    caFile: server.caFile,
    user: user.user,
    password: user.password,
    pollSeconds: 1,
    timeoutSeconds: 10,
    ...spec.set,
  };
  return ['[[inmail.mailboxes]]', ...Object.entries(settings).map(([k, v]) => `${k} = ${JSON.stringify(v)}`)].join('\n');
}
