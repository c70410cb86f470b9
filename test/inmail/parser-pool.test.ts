import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ParserPool, type ParseOutcome } from '../../server/inmail/parser-pool.js';
import { APP_ROOT } from '../../server/shared/app-root.js';
import type { Logger } from '../../server/shared/logger.js';

const FIXTURES = join(APP_ROOT, 'test', 'fixtures', 'bounces');
const good = readFileSync(join(FIXTURES, 'lhost-sendmail-01.eml'));
/** A report with 200,000 recipient blocks: far more than 16 MB of heap to parse. */
const heavy = Buffer.from(
  `Content-Type: multipart/report; report-type=delivery-status; boundary="r"\r\n\r\n--r\r\nContent-Type: message/delivery-status\r\n\r\n${Array.from(
    { length: 200_000 },
    (_, k) => `Final-Recipient: rfc822; u${k}@x.example\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n`,
  ).join('')}--r--\r\n`,
);

function recordingLog(warnings: string[]): Logger {
  const ignore = () => undefined;
  return { warn: (event: string) => warnings.push(event), info: ignore, error: ignore, debug: ignore } as unknown as Logger;
}

const summary = (o: ParseOutcome) => (o.ok ? `${o.analysis.parsed.kind} ${o.analysis.classifications.map((c) => c.reason).join(',')}` : o.reason);

/**
 * The parser threads hold several messages each: one that kills its thread is reported unparsable, and the messages queued behind it on the same thread are parsed by its
 * replacement, in order, none lost and none reported twice.
 */
describe('the inMail parser pool', function () {
  this.timeout(120_000);
  const rules = { text: readFileSync(join(APP_ROOT, 'config', 'bounce-rules.conf'), 'utf8'), file: 'bounce-rules.conf', operatorText: '' };
  // The thread is replaced the same way when a message overruns its time budget; the heap limit is
  // the case a test can cause without depending on the machine's speed.
  it('reports a message over the heap limit unparsable and parses the ones queued behind it', async () => {
    const warnings: string[] = [];
    const pool = new ParserPool({ threads: 1, timeoutMs: 120_000, memoryMb: 16, rules, log: recordingLog(warnings) });
    try {
      const inputs = [good, heavy, good, good, good, good];
      const got = (await Promise.all(inputs.map((raw) => pool.parse(raw)))).map(summary);
      assert.deepEqual(got, ['dsn user_unknown', 'unparsable: the parser crashed or ran out of memory', ...Array(4).fill('dsn user_unknown')]);
      assert.ok(warnings.includes('INMAIL_PARSER_REPLACED'));
      assert.equal(summary(await pool.parse(good)), 'dsn user_unknown', 'the replacement thread goes on');
    } finally {
      await pool.close();
    }
  });

  it('parses many messages on one thread in the order given', async () => {
    const pool = new ParserPool({ threads: 1, timeoutMs: 60_000, memoryMb: 128, rules, log: recordingLog([]) });
    try {
      const files = ['lhost-sendmail-01.eml', 'arf-17.eml', 'rfc3834-02.eml', 'is-not-bounce-01.eml', 'lhost-qmail-01.eml'];
      const raws = Array.from({ length: 40 }, (_, i) => readFileSync(join(FIXTURES, files[i % files.length]!)));
      const outcomes = await Promise.all(raws.map((raw) => pool.parse(raw)));
      assert.deepEqual(
        outcomes.map((o) => (o.ok ? o.analysis.parsed.kind : o.reason)),
        raws.map((_, i) => ['dsn', 'arf', 'autoreply', 'not_bounce', 'dsn'][i % files.length]),
      );
    } finally {
      await pool.close();
    }
  });
});
