import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { acceptsRecipient, smtpOptions } from '../../server/inmail/receiver.js';
import { startInmailService } from '../../server/inmail/service.js';
import { Spool } from '../../server/inmail/spool.js';
import { loadConfig } from '../../server/shared/config/load.js';
import { startInmailHarness, type InmailHarness } from './inmail-instance.js';

/** A raw SMTP client: sends lines, reads replies. */
class RawClient {
  private buffer = '';
  private constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (this.buffer += d));
  }

  static async open(port: number, localAddress = '127.0.0.1'): Promise<RawClient> {
    const socket = connect({ host: '127.0.0.1', port, localAddress });
    await once(socket, 'connect');
    return new RawClient(socket);
  }

  /** The next complete reply (last line "NNN text"). */
  async reply(timeoutMs = 5000): Promise<string> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const m = /^((?:\d{3}-[^\n]*\n)*\d{3} [^\n]*\n)/.exec(this.buffer);
      if (m) {
        this.buffer = this.buffer.slice(m[1]!.length);
        return m[1]!.trim();
      }
      if (Date.now() > end || this.socket.destroyed) return this.socket.destroyed ? 'closed' : 'timeout';
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async command(line: string): Promise<string> {
    this.socket.write(`${line}\r\n`);
    return this.reply();
  }

  async transaction(rcpt: string, data: string): Promise<string> {
    await this.reply();
    await this.command('EHLO test.example');
    await this.command('MAIL FROM:<>');
    await this.command(`RCPT TO:<${rcpt}>`);
    await this.command('DATA');
    this.socket.write(data.endsWith('\r\n') ? data : `${data}\r\n`);
    return this.command('.');
  }

  close(): void {
    this.socket.destroy();
  }
}

describe('inMail SMTP receiver limits', function () {
  this.timeout(30_000);
  let h: InmailHarness;
  let rcpt: string;
  before(async () => {
    h = await startInmailHarness(['maxMessageBytes = 65536', 'maxHeaderBytes = 4096', 'maxClientsPerIp = 3', 'maxRecipients = 5'].join('\n'));
    rcpt = `bounce@${h.instance.config.mail.bounceDomain}`;
  });
  after(async () => h.stop());

  it('sets every limit explicitly (smtp-server defaults are unlimited)', () => {
    const { config } = loadConfig({ siteFile: h.instance.siteFile, env: {} });
    const options = smtpOptions(config.inmail, 'bounce.example.com') as Record<string, unknown>;
    for (const key of ['size', 'maxClients', 'maxRecipients', 'maxCommandLength', 'maxAllowedUnauthenticatedCommands', 'socketTimeout', 'closeTimeout']) {
      assert.equal(typeof options[key], 'number', key);
      assert.ok((options[key] as number) > 0, key);
    }
    assert.equal(options.rejectOversized, true);
    assert.deepEqual(options.disabledCommands, ['AUTH', 'STARTTLS']);
  });

  const recipients: Array<[string, boolean]> = [
    ['bounce@bounce.example.com', true],
    ['BOUNCE@Bounce.Example.com', true],
    ['bounce+aaaa-abcdefghijklmnop@bounce.example.com', true],
    ['bounce+unsubscribe-AQABAgA.abcdefghijklmnop@bounce.example.com', true],
    ['postmaster@bounce.example.com', true],
    ['bounce+not-a-token@bounce.example.com', false],
    ['someone@bounce.example.com', false],
    ['bounce@example.com', false],
    ['bounce@bounce.example.com.evil.org', false],
  ];
  for (const [address, accepted] of recipients) {
    it(`${accepted ? 'accepts' : 'refuses'} RCPT TO ${address}`, () => {
      assert.equal(acceptsRecipient(address, 'bounce.example.com', 'bounce', ['postmaster']), accepted);
    });
  }

  it('refuses a message over the size limit with 552 and keeps the connection', async () => {
    const client = await RawClient.open(h.service.port);
    const reply = await client.transaction(rcpt, `Subject: big\r\n\r\n${'x'.repeat(998)}\r\n`.repeat(80));
    assert.match(reply, /^552 /);
    assert.match(await client.command('NOOP'), /^250/);
    client.close();
  });

  it('refuses an oversized header section with 552', async () => {
    const client = await RawClient.open(h.service.port);
    const reply = await client.transaction(rcpt, `X-Long: ${'a'.repeat(5000)}\r\nSubject: x\r\n\r\nbody\r\n`);
    assert.match(reply, /^552 .*Header section exceeds/);
    client.close();
  });

  it('refuses a looping message (more than 30 Received headers) with 554', async () => {
    const client = await RawClient.open(h.service.port);
    const reply = await client.transaction(rcpt, `${'Received: from a by b\r\n'.repeat(31)}Subject: loop\r\n\r\nbody\r\n`);
    assert.match(reply, /^554 .*mail loop/);
    client.close();
  });

  it('answers 452 past the recipient limit', async () => {
    const client = await RawClient.open(h.service.port);
    await client.reply();
    await client.command('EHLO test.example');
    await client.command('MAIL FROM:<>');
    for (let i = 0; i < 5; i++)
      assert.match(await client.command(`RCPT TO:<${rcpt}>`.replace('bounce@', i ? `bounce+aaa${'abcde'[i]}-abcdefghijklmnop@` : 'bounce@')), /^250/);
    assert.match(await client.command('RCPT TO:<postmaster@bounce.herald.localhost>'), /^452/);
    client.close();
  });

  it('refuses a connection past the per-IP limit with 421, and not from another address', async () => {
    const held = await Promise.all([1, 2, 3].map(() => RawClient.open(h.service.port, '127.0.0.2')));
    for (const c of held) assert.match(await c.reply(), /^220/);
    const extra = await RawClient.open(h.service.port, '127.0.0.2');
    assert.match(await extra.reply(), /^421/);
    const other = await RawClient.open(h.service.port, '127.0.0.3');
    assert.match(await other.reply(), /^220/);
    for (const c of [...held, extra, other]) c.close();
  });

  it('leaves no unfinished spool file after a client drops mid-DATA', async () => {
    const client = await RawClient.open(h.service.port);
    await client.reply();
    await client.command('EHLO test.example');
    await client.command('MAIL FROM:<>');
    await client.command(`RCPT TO:<${rcpt}>`);
    await client.command('DATA');
    client.socket.write('Subject: cut\r\n\r\npartial');
    client.close();
    await new Promise((r) => setTimeout(r, 200));
    const spoolDir = join(h.instance.paths.dataDir, 'spool', 'inmail');
    assert.deepEqual(
      readdirSync(spoolDir).filter((n) => n.endsWith('.tmp')),
      [],
    );
  });
});

describe('inMail spool', () => {
  it('processes messages left in the spool by a previous run', async function () {
    this.timeout(30_000);
    const h = await startInmailHarness();
    try {
      const seeded = await h.seed('recovered@example.org');
      await h.service.stop();
      const spool = new Spool(join(h.instance.paths.dataDir, 'spool', 'inmail'));
      const writer = spool.writer({ mailFrom: '', rcptTo: [seeded.verp], remoteAddress: '127.0.0.1', receivedAt: new Date().toISOString() });
      await writer.write(
        Buffer.from(
          'From: MAILER-DAEMON@mx.example.org\r\nSubject: Undelivered Mail\r\n\r\n<recovered@example.org>: host mx said: 550 5.1.1 User unknown (in reply to RCPT TO command)\r\n',
        ),
      );
      await writer.finish();
      await spool.close();
      h.service = await startInmailService({ config: h.instance.config, paths: h.instance.paths, db: h.db, log: h.log });
      await h.service.idle();
      assert.equal((await h.db.models.BroadLog.findByPk(seeded.broadLogId))?.failureReason, 'user_unknown');
    } finally {
      await h.stop();
    }
  });
});

describe('inMail sessions under pressure', function () {
  this.timeout(30_000);
  let h: InmailHarness;
  before(
    async () =>
      (h = await startInmailHarness(['maxClients = 4', 'overloadPercent = 50', 'overloadIdleTimeoutMs = 1000', 'sessionTimeoutMs = 1500'].join('\n'))),
  );
  after(async () => h.stop());

  it('closes idle connections sooner once most client slots are taken', async () => {
    const clients = await Promise.all([1, 2, 3].map(() => RawClient.open(h.service.port, '127.0.0.5')));
    for (const c of clients) assert.match(await c.reply(), /^220/);
    // The 1 s overload idle timeout fires before the 1.5 s session deadline (once one connection is
    // gone the server is no longer overloaded, so the others fall back to the normal timeout).
    assert.match(await Promise.race(clients.map((c) => c.reply(5000))), /^421 .*Timeout/);
    for (const c of clients) c.close();
  });

  it('ends a session that outlives the session deadline even while it keeps talking', async () => {
    const client = await RawClient.open(h.service.port, '127.0.0.6');
    await client.reply();
    let last = '';
    for (let i = 0; i < 40 && last !== 'closed'; i++) {
      client.socket.write('NOOP\r\n');
      last = await client.reply(300);
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(last, 'closed');
    client.close();
  });

  it('takes one message from one DATA whatever bare LF dot sequences it holds (no smuggling)', async () => {
    const before = await h.db.models.InboundMessage.count();
    const client = await RawClient.open(h.service.port, '127.0.0.7');
    const smuggled = `Subject: one\r\n\r\nfirst\n.\nMAIL FROM:<>\nRCPT TO:<bounce@${h.instance.config.mail.bounceDomain}>\nDATA\nSubject: two\n\nsecond\r.\r\nend\n.\r\n`;
    const reply = await client.transaction(`bounce@${h.instance.config.mail.bounceDomain}`, smuggled);
    assert.match(reply, /^250 /);
    assert.match(await client.command('NOOP'), /^250/, 'the smuggled commands were message text, not commands');
    client.close();
    await h.service.idle();
    assert.equal((await h.db.models.InboundMessage.count()) - before, 1);
  });
});
