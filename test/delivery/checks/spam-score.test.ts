import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { spamScore } from '../../../server/delivery/checks/spam-score.js';

/**
 * The optional spam score against a real spamd (Debian packages spamc and spamd, local tests only,
 * on 127.0.0.1). Where they are not installed the spamd cases are skipped, except under .ci/run
 * (HERALD_TEST_REQUIRE_SPAMD=1), which installs them.
 */
const SPAMC = '/usr/bin/spamc';
const SPAMD = '/usr/sbin/spamd';
const installed = existsSync(SPAMC) && existsSync(SPAMD);
if (!installed && process.env.HERALD_TEST_REQUIRE_SPAMD === '1')
  throw new Error(`spamc and spamd are required (HERALD_TEST_REQUIRE_SPAMD=1) but ${SPAMC} or ${SPAMD} does not exist`);

const message = (subject: string, body: string) =>
  Buffer.from(
    `From: news@example.com\r\nTo: ann@example.com\r\nSubject: ${subject}\r\nDate: Mon, 07 Dec 2026 10:00:00 +0000\r\nMessage-ID: <1@example.com>\r\n\r\n${body}\r\n`,
  );

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('spam score (optional, SpamAssassin)', () => {
  it('gives nothing when no spamc is configured', async () => {
    assert.equal(await spamScore(message('Hi', 'Hello'), { path: '', host: '127.0.0.1', port: 783, timeoutMs: 1000 }), undefined);
  });

  it('informs that spamc is not installed, never blocks', async () => {
    const issue = await spamScore(message('Hi', 'Hello'), { path: '/nonexistent/spamc', host: '127.0.0.1', port: 783, timeoutMs: 1000 });
    assert.deepEqual(issue, {
      rule: 'spam.score',
      level: 'info',
      message: 'no spam score: /nonexistent/spamc is not installed (Debian package spamc)',
      key: 'check.spam.not_installed',
      params: { path: '/nonexistent/spamc' },
    });
  });

  describe('with a real spamd on 127.0.0.1', function () {
    let spamd: ChildProcess | undefined;
    let port = 0;
    before(async function () {
      if (!installed) return this.skip();
      this.timeout(120_000);
      port = await freePort();
      spamd = spawn(
        SPAMD,
        [
          `--listen=127.0.0.1:${port}`,
          '--max-children=1',
          '--local',
          '--nouser-config',
          '--syslog=stderr',
          ...(process.getuid?.() === 0 ? ['--username=nobody'] : []),
        ],
        {
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      await new Promise<void>((resolve, reject) => {
        let log = '';
        spamd!.stderr!.on('data', (d: Buffer) => {
          log += d.toString();
          if (/server started on|server pid/.test(log)) resolve();
        });
        spamd!.on('exit', (code) => reject(new Error(`spamd exited (${code}): ${log.slice(-500)}`)));
      });
    });
    after(() => spamd?.kill('SIGTERM'));

    it('scores a plain message below the threshold as information', async function () {
      this.timeout(60_000);
      const issue = await spamScore(message('Our spring news', 'Hello Ann, here is our spring news.'), {
        path: SPAMC,
        host: '127.0.0.1',
        port,
        timeoutMs: 30_000,
      });
      assert.equal(issue?.level, 'info');
      assert.match(issue?.message ?? '', /^SpamAssassin scores this message -?\d+(\.\d+)? \(spam from 5(\.0)?\)$/);
    });

    it('scores a spammy message at or over the threshold as a warning, never an error', async function () {
      this.timeout(60_000);
      const spam = message(
        'FREE!!! CASH PRIZE $$$ ACT NOW',
        'XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X\r\nYou have WON a FREE cash prize! Click here now!',
      );
      const issue = await spamScore(spam, { path: SPAMC, host: '127.0.0.1', port, timeoutMs: 30_000 });
      assert.equal(issue?.level, 'warning');
      assert.match(issue?.message ?? '', /^SpamAssassin scores this message \d+(\.\d+)? \(spam from 5(\.0)?\): look at its images, links and wording$/);
    });

    it('warns, without blocking, when spamd does not answer', async function () {
      this.timeout(30_000);
      const closed = await freePort();
      const issue = await spamScore(message('Hi', 'Hello'), { path: SPAMC, host: '127.0.0.1', port: closed, timeoutMs: 2000 });
      assert.equal(issue?.level, 'warning');
      assert.match(issue?.message ?? '', new RegExp(`^no spam score: spamc could not ask spamd at 127.0.0.1:${closed}`));
    });
  });
});
