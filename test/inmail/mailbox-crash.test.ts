import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { dsn } from '../../scripts/bench/bounce.js';
import type { Database } from '../../server/db/connect.js';
import { messageIdFor, verpAddress } from '../../server/shared/tokens.js';
import { dovecotAvailable, SKIP_MESSAGE, startDovecot, type DovecotServer } from '../helpers/dovecot.js';
import { createInstance, openTestDb, type TestInstance } from '../helpers/instance.js';
import { startModule, type ModuleProcess } from '../helpers/module-process.js';
import { folderCounts, mailboxToml, until } from './mailbox-client.js';

/**
 * `herald inmail` reading a bounce mailbox is killed with -9 while it processes a batch, then
 * started again: every message is processed exactly once (no loss, no double count) and ends up
 * moved (IMAP) or deleted (POP3).
 */

const MESSAGES = 240;

async function seed(instance: TestInstance, db: Database): Promise<Buffer[]> {
  const { config } = instance;
  const delivery = await db.write((transaction) => db.models.Delivery.create({ internalName: 'DMCRASH', label: 'Crash' }, { transaction }));
  const rows = Array.from({ length: MESSAGES }, (_, i) => ({
    deliveryId: delivery.id,
    recipientId: null,
    address: `user${i * 4}@example${(i * 4) % 50}.com`,
    emailFormat: 'html' as const,
    status: 'sent' as const,
  }));
  const logs = await db.write((transaction) => db.models.BroadLog.bulkCreate(rows, { transaction }));
  // dsn(j) with j a multiple of 4: a hard "user unknown" about user<j>@example<j % 50>.com.
  return logs.map((log, i) => {
    const ids = { broadLogId: log.id, deliveryId: delivery.id };
    return dsn(
      i * 4,
      verpAddress(config.secrets.bounceKey, ids, config.mail.bounceDomain, config.mail.verpPrefix),
      messageIdFor(config.secrets.bounceKey, ids, config.mail.messageIdDomain),
    );
  });
}

describe('a bounce mailbox across a kill -9 of inMail', function () {
  this.timeout(240_000);
  let server: DovecotServer;

  before(async function () {
    if (!dovecotAvailable()) {
      console.log(`      skipped: ${SKIP_MESSAGE}`);
      this.skip();
    }
    server = await startDovecot();
  });
  after(async () => server?.stop());

  const cases: Array<['imap' | 'pop3', string]> = [
    ['imap', 'moved to Processed'],
    ['pop3', 'deleted'],
  ];
  for (const [protocol, fate] of cases) {
    it(`loses nothing and counts nothing twice over ${protocol.toUpperCase()}: every message ${fate} once`, async () => {
      const toml = ['[inmail]', 'port = 0', 'batchSize = 20', mailboxToml(server, { name: 'crash', protocol, tls: 'implicit', set: { batchSize: 60 } })].join(
        '\n',
      );
      const instance = createInstance(toml);
      const db = await openTestDb(instance);
      let inmail: ModuleProcess | undefined;
      try {
        server.deliver('bounces', await seed(instance, db));
        const counted = async () => (await db.models.InmailMailbox.findByPk('crash'))?.messages ?? 0;
        inmail = await startModule('inmail', instance.env);
        await until(async () => (await counted()) > 0, 60_000, 'a first batch committed');
        await inmail.kill('SIGKILL');
        const before = await counted();
        assert.ok(before < MESSAGES, `killed mid-run (${before} of ${MESSAGES} counted)`);
        if (process.env.DEBUG_CRASH)
          console.log({ before, rows: await db.models.InmailMailboxMessage.count(), folders: await folderCounts(server, 'bounces', ['INBOX', 'Processed']) });

        inmail = await startModule('inmail', instance.env);
        await until(async () => (await counted()) >= MESSAGES, 120_000, 'every message counted after the restart');
        await until(async () => (await folderCounts(server, 'bounces', ['INBOX'])).INBOX === 0, 60_000, 'an empty INBOX');
        await until(async () => (await db.models.InmailMailboxMessage.count()) === 0, 60_000, 'finished messages forgotten');
        await sleep(500);
        await inmail.kill('SIGTERM');

        assert.equal(await counted(), MESSAGES, 'counted once each');
        assert.equal(await db.models.BroadLog.count({ where: { status: 'failed', failureType: 'hard' } }), MESSAGES, 'every bounce applied');
        assert.equal(await db.models.BounceText.sum('occurrences'), MESSAGES, 'each bounce text occurrence counted once');
        assert.equal(await db.models.Quarantine.count({ where: { status: 'quarantine', errorCount: 1 } }), MESSAGES, 'each address quarantined by one error');
        const folders = await folderCounts(server, 'bounces', ['INBOX', 'Processed', 'Unrecognised']);
        assert.deepEqual(folders, protocol === 'imap' ? { INBOX: 0, Processed: MESSAGES, Unrecognised: 0 } : { INBOX: 0, Processed: 0, Unrecognised: 0 });
      } finally {
        await inmail?.kill('SIGKILL');
        await db.close();
        instance.cleanup();
        await clearMailbox(server);
      }
    });
  }
});

async function clearMailbox(server: DovecotServer): Promise<void> {
  const { ImapFlow } = await import('imapflow');
  const { user, password } = server.users[0]!;
  const imap = new ImapFlow({ host: '127.0.0.1', port: server.ports.imap, secure: false, doSTARTTLS: false, auth: { user, pass: password }, logger: false });
  imap.on('error', () => undefined);
  await imap.connect();
  for (const folder of (await imap.list()).map((f) => f.path)) {
    const box = await imap.mailboxOpen(folder);
    if (box.exists > 0) await imap.messageDelete('1:*');
  }
  await imap.logout();
}
