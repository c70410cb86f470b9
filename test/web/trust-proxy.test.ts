import assert from 'node:assert/strict';
import { createService } from '../../server/db/repos/services.js';
import { addOperator, ConsoleClient, startConsole, type ConsoleHarness } from './helpers/console.js';
import { FormClient } from './helpers/public.js';

/**
 * Behind a reverse proxy (web.trustProxy = true) the client is the address the proxy appended, the
 * right-most X-Forwarded-For entry: the left-most ones are whatever the client sent.
 */
describe('client addresses behind a trusted proxy', function () {
  this.timeout(120_000);
  let h: ConsoleHarness;
  let news: number;
  before(async () => {
    h = await startConsole(
      ['[web]', 'trustProxy = true', 'loginMaxFailuresPerAccountIp = 3', 'loginMaxFailuresPerIp = 6', '[forms]', 'maxSubmitsPerMinute = 5'].join('\n'),
    );
    news = (
      await createService(
        h.db,
        { name: 'news', label: 'News', description: null, doubleOptIn: true, validityDays: null },
        { at: new Date(), operatorId: null, operatorLogin: 'test', action: 'service_created' },
      )
    ).id;
  });
  after(async () => h.close());

  /** What a proxy forwards for the client at 203.0.113.7 that sent its own X-Forwarded-For. */
  const spoofed = (i: number) => ({ 'x-forwarded-for': `198.51.100.${i}, 203.0.113.7` });

  it('throttles failed logins on the proxy-given address, whatever left-most value the client rotates', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await new ConsoleClient(h.base, spoofed(i)).login(`ghost${i}`, 'guess')).status);
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 401, 429, 429, 429, 429, 429, 429]);
    assert.ok(await h.db.models.LoginThrottle.findOne({ where: { key: 'ip:203.0.113.7' } }), 'counted on the address the proxy appended');
    assert.equal(await h.db.models.LoginThrottle.count({ where: { key: 'ip:198.51.100.1' } }), 0);

    const op = await addOperator(h.db, 'target', ['import']);
    const guesses: number[] = [];
    for (let i = 0; i < 5; i++)
      guesses.push((await new ConsoleClient(h.base, { 'x-forwarded-for': `192.0.2.${i}, 203.0.113.8` }).login(op.login, `x${i}`)).status);
    assert.deepEqual(guesses, [401, 401, 401, 429, 429], 'per account and address, the address being the proxy-given one');
  });

  it('limits public form submits on the proxy-given address, whatever left-most value the client rotates', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const client = new FormClient(h.base, spoofed(i));
      await client.get('/subscribe');
      h.clock.now = new Date(h.clock.now.getTime() + 5000);
      statuses.push((await client.submit('/subscribe', { email: `reader${i}@example.com`, services: [String(news)] })).status);
    }
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429, 429]);
  });
});
