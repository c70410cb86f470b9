import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { APP_ROOT } from '../../server/shared/app-root.js';
import { herald } from '../helpers/cli.js';
import { createInstance } from '../helpers/instance.js';
import { startInmailHarness } from './inmail-instance.js';

const FIXTURE = readFileSync(join(APP_ROOT, 'test', 'fixtures', 'bounces', 'lhost-sendmail-01.eml'));

describe('inMail rules reload', function () {
  this.timeout(60_000);

  it('applies edited rules after a reload and keeps the old ones when the file is broken', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'herald-rules-'));
    const rulesFile = join(dir, 'rules.conf');
    copyFileSync(join(APP_ROOT, 'config', 'bounce-rules.conf'), rulesFile);
    const h = await startInmailHarness(`[bounce]\nrulesFile = ${JSON.stringify(rulesFile)}`);
    try {
      const send = async () => {
        const seeded = await h.seed(`userunknown-${Math.random().toString(36).slice(2)}@bouncehammer.jp`);
        await h.send(
          seeded.verp,
          FIXTURE.toString('utf8').replaceAll('userunknown@bouncehammer.jp', (await h.db.models.BroadLog.findByPk(seeded.broadLogId))!.address),
        );
        await h.service.idle();
        return (await h.db.models.BroadLog.findByPk(seeded.broadLogId))!;
      };
      assert.equal((await send()).failureType, 'hard');
      writeFileSync(rulesFile, `# example: 550 5.1.1 User Unknown\nlenient soft user_unknown text /user unknown/\n`);
      h.service.reload(h.instance.config);
      const after = await send();
      assert.deepEqual([after.failureType, after.failureReason], ['soft', 'user_unknown']);
      writeFileSync(rulesFile, 'broken hard nope text /x/\n');
      h.service.reload(h.instance.config);
      assert.equal((await send()).failureType, 'soft', 'the previous rules stay in force');
    } finally {
      await h.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('herald inmail (the module process)', function () {
  this.timeout(60_000);

  it('starts, takes a bounce, reloads its rules on SIGHUP and drains on SIGTERM', async () => {
    const instance = createInstance('[inmail]\nport = 0');
    try {
      assert.equal((await herald(['db', 'migrate'], instance.env)).code, 0);
      const child = spawn(process.execPath, ['--import=tsx', join(APP_ROOT, 'server', 'cli', 'main.ts'), 'inmail'], {
        cwd: APP_ROOT,
        env: { ...instance.env, HERALD_LOG__CONSOLE: 'always' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      const seen = (pattern: RegExp) =>
        new Promise<RegExpExecArray>((resolve) => {
          const check = () => {
            const m = pattern.exec(output);
            if (m) resolve(m);
            else setTimeout(check, 50);
          };
          check();
        });
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      const port = Number((await seen(/INMAIL_LISTENING .*port=(\d+)/))[1]);
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true });
      const info = await transport.sendMail({ envelope: { from: '', to: `bounce@${instance.config.mail.bounceDomain}` }, raw: FIXTURE });
      transport.close();
      assert.match(info.response, /^250 /);
      await seen(/INMAIL_BATCH_APPLIED/);
      child.kill('SIGHUP');
      await seen(/INMAIL_RULES_LOADED/);
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      assert.equal(code, 0);
      assert.match(output, /PROCESS_STOPPED/);
    } finally {
      instance.cleanup();
    }
  });
});
