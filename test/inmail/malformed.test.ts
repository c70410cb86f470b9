import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { APP_ROOT } from '../../server/shared/app-root.js';
import { startInmailHarness, type InmailHarness } from './inmail-instance.js';

const FIXTURES = join(APP_ROOT, 'test', 'fixtures', 'bounces');
const fixtures = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.eml'))
  .map((f) => readFileSync(join(FIXTURES, f)));

/** A small seeded PRNG (mulberry32): the same 1,000 inputs on every run. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const report = (inner: string, depth: number): string =>
  depth === 0
    ? inner
    : `Content-Type: multipart/report; report-type=delivery-status; boundary="b${depth}"\r\n\r\n--b${depth}\r\nContent-Type: message/rfc822\r\n\r\n${report(inner, depth - 1)}\r\n--b${depth}--\r\n`;

/** One hostile input of each family, chosen by `i`. */
function hostile(i: number, random: () => number): Buffer {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));
  switch (i % 10) {
    case 0: // truncated MIME: a real bounce cut anywhere
      return pick(fixtures).subarray(0, Math.floor(random() * pick(fixtures).length));
    case 1: // binary garbage, NUL bytes and bare LF included
      return bytes(200 + Math.floor(random() * 4000));
    case 2: // a long whitespace-free header under the header limit (addressparser stress)
      return Buffer.from(
        `From: ${'a'.repeat(60_000)}@x\r\nTo: ${Array.from({ length: 2000 }, (_, k) => `u${k}@x.example`).join(',')}\r\nSubject: x\r\n\r\nbody\r\n`,
      );
    case 3: // header section over the limit (refused with 552 before parsing)
      return Buffer.from(`X-Big: ${'b'.repeat(120_000)}\r\n\r\nbody\r\n`);
    case 4: // nested reports, 20 deep
      return Buffer.from(`From: MAILER-DAEMON@x.example\r\nSubject: Undelivered Mail\r\n${report('Subject: inner\r\n\r\nx\r\n', 20)}`);
    case 5: // thousands of MIME parts
      return Buffer.from(`Content-Type: multipart/mixed; boundary="p"\r\n\r\n${'--p\r\nContent-Type: text/plain\r\n\r\nx\r\n'.repeat(3000)}--p--\r\n`);
    case 6: // broken base64 / quoted-printable and an unknown charset in a DSN
      return Buffer.from(
        `Content-Type: multipart/report; report-type=delivery-status; boundary="q"\r\n\r\n--q\r\nContent-Type: text/plain; charset=x-unknown-99\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!!not base64====\r\n--q\r\nContent-Type: message/delivery-status\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nFinal-Recipient: rfc822; =ZZ=\r\nAction: failed\r\nStatus: 5.=\r\n--q--\r\n`,
      );
    case 7: // 8-bit and control characters in headers
      return Buffer.concat([Buffer.from('Subject: '), bytes(300), Buffer.from('\r\nFrom: '), bytes(200), Buffer.from('\r\n\r\nbody\r\n')]);
    case 8: // a DSN with thousands of recipient blocks
      return Buffer.from(
        `Content-Type: multipart/report; report-type=delivery-status; boundary="r"\r\n\r\n--r\r\nContent-Type: message/delivery-status\r\n\r\n${Array.from({ length: 3000 }, (_, k) => `Final-Recipient: rfc822; u${k}@x.example\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n`).join('')}--r--\r\n`,
      );
    default: // a real bounce with random bytes spliced in
      return Buffer.concat([pick(fixtures).subarray(0, 400), bytes(500), pick(fixtures).subarray(400)]);
  }
}

describe('inMail under 1,000 malformed inputs', function () {
  this.timeout(300_000);
  let h: InmailHarness;
  before(async () => (h = await startInmailHarness('parserThreads = 1')));
  after(async () => h.stop());

  it('answers every message, stays up, loses nothing, and still applies a legitimate DSN', async () => {
    const random = prng(20260301);
    const rcpt = `bounce@${h.instance.config.mail.bounceDomain}`;
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: h.service.port,
      pool: true,
      maxConnections: 4,
      maxMessages: Infinity,
      ignoreTLS: true,
    });
    const replies: string[] = [];
    const inputs = Array.from({ length: 1000 }, (_, i) => hostile(i, random));
    for (let i = 0; i < inputs.length; i += 20) {
      const batch = inputs.slice(i, i + 20).map((raw) =>
        transport.sendMail({ envelope: { from: '', to: rcpt }, raw }).then(
          (info) => info.response.slice(0, 3),
          (err: { responseCode?: number }) => String(err.responseCode ?? 'error'),
        ),
      );
      replies.push(...(await Promise.all(batch)));
    }
    transport.close();
    assert.equal(replies.length, 1000);
    assert.deepEqual([...new Set(replies)].sort(), ['250', '552']);
    assert.equal(replies.filter((r) => r === '552').length, 100, 'only the oversized headers are refused');

    await h.service.idle();
    const accepted = replies.filter((r) => r === '250').length;
    assert.equal(await h.db.models.InboundMessage.count(), accepted, 'every accepted message is kept for review (none match a broad log)');
    assert.deepEqual(
      readdirSync(join(h.instance.paths.dataDir, 'spool', 'inmail')).filter((n) => n.endsWith('.msg') || n.endsWith('.tmp')),
      [],
    );

    const seeded = await h.seed('userunknown@bouncehammer.jp');
    assert.match(await h.send(seeded.verp, readFileSync(join(FIXTURES, 'lhost-sendmail-01.eml'))), /^250 /);
    await h.service.idle();
    assert.equal((await h.db.models.BroadLog.findByPk(seeded.broadLogId))?.failureReason, 'user_unknown');
  });
});
