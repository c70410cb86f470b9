import assert from 'node:assert/strict';
import { analyseMessage } from '../../server/bounce/analyse.js';
import { loadRules } from '../../server/bounce/load-rules.js';

/**
 * Parsing is linear in the size of the message: a bounce carrying a megabyte on one line (an inline
 * base64 image, an HTML part without line breaks) is still read and qualified. A quadratic scan
 * of such a line takes minutes, so these cases also time out when parsing is not linear.
 */

const MB = 1024 * 1024;
/** One line of base64-looking bytes (no spaces, no `@`): what a pasted inline image looks like. */
const blob = (size: number) => Buffer.alloc(size, 0xa7).toString('base64').slice(0, size);
/** One line of addresses-like words: many `@` with long local parts. */
const atBlob = (size: number) => `${'x'.repeat(200)}@`.repeat(Math.ceil(size / 201)).slice(0, size);
/** One line of distinct addresses separated by commas (a pasted list). */
const addressBlob = (size: number) => {
  const out: string[] = [];
  for (let i = 0, length = 0; length < size; i++) length += out[out.push(`someone.${i}@host${i}.example.com`) - 1]!.length + 2;
  return out.join(', ');
};

const HEAD = 'From: MAILER-DAEMON@mx.example.net\r\nTo: bounce@example.org\r\nSubject: Undelivered Mail Returned to Sender\r\nMIME-Version: 1.0\r\n';
const REPORT =
  'This is the mail system at host mx.example.net.\r\n\r\n<kijitora@example.jp>: host mx.example.jp[192.0.2.1] said: 550 5.1.1 <kijitora@example.jp>: Recipient address rejected: User unknown in local recipient table (in reply to RCPT TO command)\r\n';

const shapes: Array<[string, string]> = [
  ['a text report followed by a 1 MB base64 line', `${HEAD}Content-Type: text/plain\r\n\r\n${REPORT}\r\n${blob(MB)}\r\n`],
  ['a text report whose address line goes on for 1 MB', `${HEAD}Content-Type: text/plain\r\n\r\n${REPORT.trimEnd()} ${blob(MB)}\r\n`],
  ['a text report followed by 1 MB of at-signs on one line', `${HEAD}Content-Type: text/plain\r\n\r\n${REPORT}\r\n${atBlob(MB)}\r\n`],
  ['a text report followed by 1 MB of distinct addresses on one line', `${HEAD}Content-Type: text/plain\r\n\r\n${REPORT}\r\n${addressBlob(MB)}\r\n`],
  [
    'an HTML-only report with a 1 MB inline image on its one line',
    `${HEAD}Content-Type: text/html\r\n\r\n<p>${REPORT.replace(/[<>]/g, '')}</p><img src="data:image/png;base64,${blob(MB)}">\r\n`,
  ],
  [
    'a multipart report with a 1 MB single-line base64 image part',
    `${HEAD}Content-Type: multipart/related; boundary="b1"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\n${REPORT}\r\n--b1\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\n${blob(MB)}\r\n--b1--\r\n`,
  ],
  [
    'a broken MIME body (report and image read from the raw text) on one 1 MB line',
    `${HEAD}Content-Type: multipart/mixed; boundary="nowhere"\r\n\r\n${REPORT}\r\n${blob(MB)}\r\n`,
  ],
];

describe('bounce parsing on long lines', function () {
  const rules = loadRules('config/bounce-rules.conf');
  this.timeout(60_000);

  for (const [shape, raw] of shapes) {
    it(`classifies ${shape}`, async () => {
      const { parsed, classifications } = await analyseMessage(Buffer.from(raw), rules);
      assert.equal(parsed.kind, 'dsn');
      assert.deepEqual(
        parsed.recipients.map((r) => r.address),
        ['kijitora@example.jp'],
      );
      assert.equal(parsed.recipients[0]!.status, '5.1.1');
      assert.deepEqual([classifications[0]!.type, classifications[0]!.reason], ['hard', 'user_unknown']);
    });
  }
});
