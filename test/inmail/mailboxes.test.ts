import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dsn } from '../../scripts/bench/bounce.js';
import { dovecotAvailable, SKIP_MESSAGE, startDovecot, type DovecotServer } from '../helpers/dovecot.js';
import { startInmailHarness, type InmailHarness } from './inmail-instance.js';
import { appendMessages, folderCounts, mailboxToml, until, type MailboxSpec } from './mailbox-client.js';

/**
 * Bounce mailboxes against a real Dovecot on loopback ports: messages are read over IMAP (IDLE or
 * polling) and POP3, with implicit TLS, STARTTLS/STLS or plain TCP, processed once through the
 * same pipeline as SMTP bounces, then moved (IMAP) or deleted (POP3).
 */

/** DSNs for seeded broad logs, seeded one after the other (SQLite takes one writer at a time). */
async function bouncesFor(h: InmailHarness, numbers: readonly number[]): Promise<Array<{ raw: Buffer; broadLogId: number }>> {
  const out: Array<{ raw: Buffer; broadLogId: number }> = [];
  for (const i of numbers) out.push(await bounceFor(h, i));
  return out;
}

/** A DSN for a seeded broad log, with a unique address so each counts once. */
async function bounceFor(h: InmailHarness, i: number): Promise<{ raw: Buffer; broadLogId: number }> {
  // dsn(j) is a Postfix report about user<j>@example<j % 50>.com; every 4th one is a hard user unknown.
  const j = i * 4;
  const seeded = await h.seed(`user${j}@example${j % 50}.com`);
  return { raw: dsn(j, seeded.verp, seeded.messageId), broadLogId: seeded.broadLogId };
}

/** Not a bounce: kept for review. Its lines starting with dots test POP3's dot-stuffing. */
const NOT_A_BOUNCE = Buffer.from(
  'From: Ann <ann@example.org>\r\nTo: bounces@bounce.example.com\r\nSubject: hello\r\nMessage-ID: <hello.1@example.org>\r\n\r\nJust saying hello.\r\n.\r\n..two dots\r\n. one dot\r\n',
);

const mailboxRow = (h: InmailHarness, name: string) => h.db.models.InmailMailbox.findByPk(name);

describe('bounce mailboxes (real Dovecot)', function () {
  this.timeout(120_000);
  let server: DovecotServer;

  before(async function () {
    if (!dovecotAvailable()) {
      console.log(`      skipped: ${SKIP_MESSAGE}`);
      this.skip();
    }
    server = await startDovecot([
      { user: 'bounces', password: 'first-mailbox-password-1234' },
      { user: 'fbl', password: 'second-mailbox-password-5678' },
    ]);
  });
  after(async () => server?.stop());

  const cases: Array<[string, MailboxSpec, string[]]> = [
    [
      'IMAP over implicit TLS, waiting with IDLE',
      { name: 'imaps', protocol: 'imap', tls: 'implicit', set: { pollSeconds: 3600 } },
      ['Processed', 'Unrecognised'],
    ],
    ['IMAP with STARTTLS, polling without IDLE', { name: 'imap-poll', protocol: 'imap', tls: 'starttls', set: { idle: false } }, ['Processed', 'Unrecognised']],
    ['POP3 over implicit TLS', { name: 'pop3s', protocol: 'pop3', tls: 'implicit' }, []],
    ['POP3 with STLS', { name: 'pop3-stls', protocol: 'pop3', tls: 'starttls' }, []],
    ['POP3 over plain TCP on this host', { name: 'pop3-plain', protocol: 'pop3', tls: 'none' }, []],
  ];
  for (const [title, spec, folders] of cases) {
    it(`processes each message once and ${spec.protocol === 'imap' ? 'moves' : 'deletes'} it: ${title}`, async () => {
      const h = await startInmailHarness(mailboxToml(server, spec));
      try {
        await until(async () => (await mailboxRow(h, spec.name))?.lastPollAt != null, 20_000, 'a first poll');
        const bounces = await bouncesFor(h, [0, 1, 2]);
        // Appended while inMail waits: IDLE (or the poll) must notice them.
        await appendMessages(server, 'bounces', [...bounces.map((b) => b.raw), NOT_A_BOUNCE]);
        await until(async () => (await mailboxRow(h, spec.name))?.messages === 4, 30_000, 'four messages counted');
        await h.service.idle();
        for (const { broadLogId } of bounces) assert.equal((await h.db.models.BroadLog.findByPk(broadLogId))?.status, 'failed');
        const row = (await mailboxRow(h, spec.name))!;
        assert.deepEqual([row.messages, row.unrecognised, row.lastError], [4, 1, null]);
        const kept = await h.db.models.InboundMessage.findAll({ where: { status: 'unmatched' } });
        assert.equal(kept.length, 1, 'the hello is kept for review');
        assert.deepEqual(readFileSync(join(h.instance.paths.dataDir, h.instance.config.inmail.spoolDir, kept[0]!.spoolFile!)), NOT_A_BOUNCE, 'byte for byte');
        await until(async () => (await folderCounts(server, 'bounces', ['INBOX'])).INBOX === 0, 20_000, 'an empty INBOX');
        const counts = await folderCounts(server, 'bounces', ['INBOX', 'Processed', 'Unrecognised']);
        if (folders.length > 0) assert.deepEqual(counts, { INBOX: 0, Processed: 3, Unrecognised: 1 });
        else assert.deepEqual(counts, { INBOX: 0, Processed: 0, Unrecognised: 0 });
        await until(async () => (await h.db.models.InmailMailboxMessage.count()) === 0, 20_000, 'finished messages forgotten');
      } finally {
        await h.stop();
        await clearFolders();
      }
    });
  }

  /** Leaves every test user's folders empty for the next test. */
  async function clearFolders(): Promise<void> {
    const { ImapFlow } = await import('imapflow');
    for (const { user, password } of server.users) {
      const imap = new ImapFlow({
        host: '127.0.0.1',
        port: server.ports.imap,
        secure: false,
        doSTARTTLS: false,
        auth: { user, pass: password },
        logger: false,
      });
      imap.on('error', () => undefined);
      await imap.connect();
      for (const folder of (await imap.list()).map((f) => f.path)) {
        const box = await imap.mailboxOpen(folder);
        if (box.exists > 0) await imap.messageDelete('1:*');
      }
      await imap.logout();
    }
  }

  it('reads several mailboxes at once, each with its own counter', async () => {
    const h = await startInmailHarness(
      [
        mailboxToml(server, { name: 'main', protocol: 'imap', tls: 'implicit' }),
        mailboxToml(server, { name: 'second', protocol: 'pop3', tls: 'implicit', user: 'fbl' }),
      ].join('\n'),
    );
    try {
      const first = await bouncesFor(h, [10, 11]);
      const second = await bouncesFor(h, [12, 13, 14]);
      await appendMessages(
        server,
        'bounces',
        first.map((b) => b.raw),
      );
      await appendMessages(
        server,
        'fbl',
        second.map((b) => b.raw),
      );
      await until(async () => (await mailboxRow(h, 'main'))?.messages === 2 && (await mailboxRow(h, 'second'))?.messages === 3, 30_000, 'both mailboxes read');
      await h.service.idle();
      for (const { broadLogId } of [...first, ...second]) assert.equal((await h.db.models.BroadLog.findByPk(broadLogId))?.status, 'failed');
      await until(async () => (await folderCounts(server, 'fbl', ['INBOX'])).INBOX === 0, 20_000, 'the POP3 mailbox emptied');
      assert.deepEqual(await folderCounts(server, 'bounces', ['INBOX', 'Processed']), { INBOX: 0, Processed: 2 });
    } finally {
      await h.stop();
      await clearFolders();
    }
  });

  const failures: Array<[string, MailboxSpec, RegExp]> = [
    ['a wrong password', { name: 'badpass', protocol: 'imap', tls: 'implicit', set: { password: 'not-the-password' } }, /authentication failed/i],
    ['a certificate it cannot verify', { name: 'badcert', protocol: 'pop3', tls: 'implicit', set: { caFile: '' } }, /certificate/i],
  ];
  for (const [title, spec, error] of failures) {
    it(`shows the last error and leaves the messages in place on ${title}`, async () => {
      const h = await startInmailHarness(mailboxToml(server, spec));
      try {
        const bounce = await bounceFor(h, 20);
        await appendMessages(server, 'bounces', [bounce.raw]);
        await until(async () => (await mailboxRow(h, spec.name))?.lastError != null, 30_000, 'an error on the monitoring row');
        const row = (await mailboxRow(h, spec.name))!;
        assert.match(row.lastError!, error);
        assert.doesNotMatch(row.lastError!, /first-mailbox-password/, 'never the password');
        assert.equal(row.messages, 0);
        assert.equal((await h.db.models.BroadLog.findByPk(bounce.broadLogId))?.status, 'sent');
        assert.deepEqual(await folderCounts(server, 'bounces', ['INBOX']), { INBOX: 1 });
      } finally {
        await h.stop();
        await clearFolders();
      }
    });
  }
});
