import { ImapFlow } from 'imapflow';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startInmailService } from '../../server/inmail/service.js';
import { instancePaths } from '../../server/shared/config/paths.js';
import { createLogger } from '../../server/shared/logger.js';
import { dsn, seed } from './bounce.js';
import { startDovecot, type DovecotServer } from './dovecot.js';
import { benchInstance, peakRssMb } from './instance.js';

/**
 * `bench bounce-mailbox --messages N`: N Postfix-style DSNs delivered into a Dovecot mailbox (a
 * throw-away Dovecot on loopback, see dovecot.ts), then read by inMail over IMAP (implicit TLS,
 * IDLE), spooled, parsed, classified, written to the database and moved to the processed folder,
 * timed from inMail's start until the last one is moved. `processed` counts the messages whose
 * effects were recorded once; `lost` the ones neither processed nor still in the mailbox.
 * `cpu_ms_per_msg` is the CPU time of this process (inMail's threads and the bench's own polling,
 * not Dovecot's) over the same span per message: unlike `per_s`, it hardly moves with the
 * machine's load.
 */

const USER = { user: 'bounces', password: 'bench-mailbox-password-0123' };

async function inboxCount(server: DovecotServer, folder: string): Promise<number> {
  const imap = new ImapFlow({
    host: '127.0.0.1',
    port: server.ports.imap,
    secure: false,
    doSTARTTLS: false,
    auth: { user: USER.user, pass: USER.password },
    logger: false,
  });
  imap.on('error', () => undefined);
  await imap.connect();
  try {
    if (folder === 'INBOX') await imap.mailboxOpen(folder);
    const status = await imap.status(folder, { messages: true }).catch(() => false as const);
    return status ? (status.messages ?? 0) : 0;
  } finally {
    await imap.logout();
  }
}

export async function benchBounceMailbox(options: { messages: number }): Promise<Record<string, unknown>> {
  const server = await startDovecot([USER]);
  const mailbox = [
    '[[inmail.mailboxes]]',
    'name = "bench"',
    'protocol = "imap"',
    'host = "127.0.0.1"',
    `port = ${server.ports.imaps}`,
    'tls = "implicit"',
    `caFile = ${JSON.stringify(server.caFile)}`,
    `user = "${USER.user}"`,
    `password = "${USER.password}"`,
  ].join('\n');
  const instance = await benchInstance(`[inmail]\nport = 0\n${mailbox}`);
  const log = createLogger({ module: 'inmail', dir: join(instance.dir, 'log'), level: 'info', console: false, maxSizeMb: 50, maxFiles: 1 });
  let service: Awaited<ReturnType<typeof startInmailService>> | undefined;
  try {
    const ids = await seed(instance, options.messages);
    server.deliver(
      USER.user,
      ids.map(([verp, messageId], i) => dsn(i, verp, messageId)),
    );
    // Dovecot's own delivery agent indexes a message as it stores it; a Maildir drop leaves that to
    // the first SELECT, so the folder is opened once before the clock starts.
    if ((await inboxCount(server, 'INBOX')) !== options.messages) throw new Error('the mailbox does not hold every message');
    const processed = async () => (await instance.db.models.InmailMailbox.findByPk('bench'))?.messages ?? 0;
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    service = await startInmailService({ config: instance.config, paths: instancePaths(instance.config), db: instance.db, log });
    const deadline = Date.now() + 30 * 60_000;
    while ((await processed()) < options.messages && Date.now() < deadline) await sleep(100);
    while ((await inboxCount(server, 'INBOX')) > 0 && Date.now() < deadline) await sleep(200);
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const counted = await processed();
    const remaining = await inboxCount(server, 'INBOX');
    return {
      messages: options.messages,
      per_s: Math.round(options.messages / seconds),
      processed: counted,
      lost: options.messages - counted - remaining,
      seconds: Math.round(seconds * 100) / 100,
      cpu_ms_per_msg: Math.round(((cpu.user + cpu.system) / 1000 / options.messages) * 1000) / 1000,
      moved: await inboxCount(server, 'Processed'),
      left_in_inbox: remaining,
      broad_logs_failed: await instance.db.models.BroadLog.count({ where: { status: 'failed' } }),
      peak_rss_mb: peakRssMb(),
    };
  } finally {
    await service?.stop();
    await log.close();
    await instance.cleanup();
    await server.stop();
  }
}
