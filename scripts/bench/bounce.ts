import { fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { startInmailService } from '../../server/inmail/service.js';
import { instancePaths } from '../../server/shared/config/paths.js';
import type { HeraldConfig } from '../../server/shared/config/schema.js';
import { createLogger } from '../../server/shared/logger.js';
import { messageIdFor, verpAddress } from '../../server/shared/tokens.js';
import { benchInstance, peakRssMb, type BenchInstance } from './instance.js';

/**
 * `bench bounce --messages N`: N Postfix-style DSNs sent over SMTP (nodemailer, pooled, from a
 * separate sender process, as remote MTAs would) to a running inMail, each to the VERP address of
 * its own broad log, timed until every one is spooled, parsed, classified and written to the
 * database. Replies mix unknown users, full mailboxes, greylisting and block-list refusals.
 */

const DELIVERIES = 20;
const REPLIES: Array<[string, string]> = [
  ['5.1.1', '550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown in virtual mailbox table'],
  ['5.2.2', '552 5.2.2 <{rcpt}>... Mailbox full'],
  ['4.2.0', '450 4.2.0 <{rcpt}>: Recipient address rejected: Greylisted, please try again later'],
  ['5.7.1', '554 5.7.1 Service unavailable; Client host [192.0.2.9] blocked using zen.spamhaus.org'],
];

export function dsn(i: number, verp: string, messageId: string): Buffer {
  const rcpt = `user${i}@example${i % 50}.com`;
  const [status, template] = REPLIES[i % REPLIES.length]!;
  const reply = template.replace('{rcpt}', rcpt);
  const mx = `mx.example${i % 50}.com`;
  return Buffer.from(
    [
      'Return-Path: <>',
      `Received: from ${mx} (${mx} [192.0.2.${i % 250}]) by bounce.herald.localhost with ESMTP id B${i}; Mon, 2 Mar 2026 10:00:00 +0000`,
      'Date: Mon, 2 Mar 2026 10:00:00 +0000 (UTC)',
      `From: MAILER-DAEMON@${mx} (Mail Delivery System)`,
      'Subject: Undelivered Mail Returned to Sender',
      `To: ${verp}`,
      'Auto-Submitted: auto-replied',
      'MIME-Version: 1.0',
      `Content-Type: multipart/report; report-type=delivery-status; boundary="B${i}"`,
      `Message-Id: <${i}.bench@${mx}>`,
      '',
      'This is a MIME-encapsulated message.',
      '',
      `--B${i}`,
      'Content-Description: Notification',
      'Content-Type: text/plain; charset=us-ascii',
      '',
      `This is the mail system at host ${mx}.`,
      '',
      "I'm sorry to have to inform you that your message could not",
      "be delivered to one or more recipients. It's attached below.",
      '',
      '                   The mail system',
      '',
      `<${rcpt}>: host ${mx}[192.0.2.1] said: ${reply} (in reply to RCPT TO command)`,
      '',
      `--B${i}`,
      'Content-Description: Delivery report',
      'Content-Type: message/delivery-status',
      '',
      `Reporting-MTA: dns; ${mx}`,
      `X-Postfix-Queue-ID: 3F1A2B${i}`,
      'Arrival-Date: Mon,  2 Mar 2026 09:59:58 +0000 (UTC)',
      '',
      `Final-Recipient: rfc822; ${rcpt}`,
      `Original-Recipient: rfc822;${rcpt}`,
      'Action: failed',
      `Status: ${status}`,
      `Remote-MTA: dns; ${mx}`,
      `Diagnostic-Code: smtp; ${reply}`,
      '',
      `--B${i}`,
      'Content-Description: Undelivered Message Headers',
      'Content-Type: text/rfc822-headers',
      '',
      `Return-Path: <${verp}>`,
      'Received: by mail.herald.localhost (Herald) id A1; Mon, 2 Mar 2026 09:59:57 +0000',
      `Message-ID: ${messageId}`,
      'From: News <news@brand.example>',
      `To: ${rcpt}`,
      'Subject: Our spring newsletter',
      '',
      `--B${i}--`,
      '',
    ].join('\r\n'),
  );
}

/** Seeds the deliveries and one sent broad log per message; returns each message's [VERP, Message-ID]. */
export async function seed(instance: BenchInstance, messages: number): Promise<Array<[string, string]>> {
  const { config, db } = instance;
  const deliveries = await db.write((transaction) =>
    db.models.Delivery.bulkCreate(
      Array.from({ length: DELIVERIES }, (_, d) => ({ internalName: `DM${d}`, label: `Bench ${d}` })),
      { transaction },
    ),
  );
  const ids: Array<[string, string]> = [];
  for (let start = 0; start < messages; start += 1000) {
    const rows = Array.from({ length: Math.min(1000, messages - start) }, (_, k) => {
      const i = start + k;
      return {
        deliveryId: deliveries[i % DELIVERIES]!.id,
        recipientId: null,
        address: `user${i}@example${i % 50}.com`,
        emailFormat: 'html' as const,
        status: 'sent' as const,
      };
    });
    const created = await db.write((transaction) => db.models.BroadLog.bulkCreate(rows, { transaction }));
    for (const log of created) ids.push(addresses(config, log.id, log.deliveryId));
  }
  return ids;
}

function addresses(config: HeraldConfig, broadLogId: number, deliveryId: number): [string, string] {
  const ids = { broadLogId, deliveryId };
  return [
    verpAddress(config.secrets.bounceKey, ids, config.mail.bounceDomain, config.mail.verpPrefix),
    messageIdFor(config.secrets.bounceKey, ids, config.mail.messageIdDomain),
  ];
}

/** Runs the sender process: it builds the messages, sends them when told, and reports how many got 250 and its CPU time. */
async function send(port: number, ids: Array<[string, string]>, onStart: () => void): Promise<{ accepted: number; cpuMs: number }> {
  const child = fork(join(import.meta.dirname, 'bounce-sender.ts'), [], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  child.send({ port, ids });
  await once(child, 'message');
  onStart();
  child.send('go');
  const [result] = (await once(child, 'message')) as [{ accepted: number; cpuMs: number }];
  child.disconnect();
  return result;
}

export async function benchBounce(options: { messages: number }): Promise<Record<string, unknown>> {
  const instance = await benchInstance('[inmail]\nport = 0');
  const paths = instancePaths(instance.config);
  const log = createLogger({ module: 'inmail', dir: join(instance.dir, 'log'), level: 'info', console: false, maxSizeMb: 50, maxFiles: 1 });
  let service: Awaited<ReturnType<typeof startInmailService>> | undefined;
  try {
    const ids = await seed(instance, options.messages);
    service = await startInmailService({ config: instance.config, paths, db: instance.db, log });
    let started = 0;
    let cpu = process.cpuUsage();
    const sender = await send(service.port, ids, () => {
      started = performance.now();
      cpu = process.cpuUsage();
    });
    await service.idle();
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const cpuPerMessage = (used.user + used.system) / 1000 / options.messages;
    const failed = await instance.db.models.BroadLog.count({ where: { status: 'failed' } });
    if (failed !== options.messages) throw new Error(`${failed} broad logs failed, expected ${options.messages}`);
    return {
      messages: options.messages,
      per_s: Math.round(options.messages / seconds),
      seconds: Math.round(seconds * 100) / 100,
      accepted: sender.accepted,
      broad_logs_failed: failed,
      // CPU time per message (all threads of inMail, then the sender process): a rate that does not depend on other load on the box.
      inmail_cpu_ms_per_message: Math.round(cpuPerMessage * 1000) / 1000,
      sender_cpu_ms_per_message: Math.round((sender.cpuMs / options.messages) * 1000) / 1000,
      quarantined: await instance.db.models.Quarantine.count({ where: { status: 'quarantine' } }),
      with_errors: await instance.db.models.Quarantine.count({ where: { status: 'with_errors' } }),
      peak_rss_mb: peakRssMb(),
    };
  } finally {
    await service?.stop();
    await log.close();
    await instance.cleanup();
  }
}
