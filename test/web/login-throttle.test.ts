import assert from 'node:assert/strict';
import { Op } from 'sequelize';
import { addOperator, ConsoleClient, startConsole, type ConsoleHarness } from './helpers/console.js';

const LIMITS = [
  '[web]',
  'trustProxy = true',
  'publicUrl = "https://console.example.test"',
  'loginMaxFailuresPerAccountIp = 3',
  'loginMaxFailuresPerAccount = 10',
  'loginMaxFailuresPerIp = 12',
  'loginWindowMinutes = 15',
].join('\n');

describe('console login throttling', function () {
  // Each failed login costs a real scrypt hash (128 MiB, ~0.3 s idle); allow for a busy machine.
  this.timeout(120_000);
  let h: ConsoleHarness;
  before(async () => (h = await startConsole(LIMITS)));
  after(async () => h.close());
  const from = (ip: string) => new ConsoleClient(h.base, { 'x-forwarded-for': ip, 'x-forwarded-proto': 'https' });

  it('uses __Host- cookies with the Secure flag when the console is served over HTTPS', async () => {
    const op = await addOperator(h.db, 'secure', ['import']);
    const c = from('10.0.0.1');
    const reply = await c.login(op.login, op.password);
    const line = reply.headers.getSetCookie().find((l) => l.startsWith('__Host-herald-sid='));
    assert.ok(line, 'a __Host- session cookie');
    assert.match(line, /; Path=\/; HttpOnly; SameSite=Lax; Secure/);
    assert.match(reply.headers.get('strict-transport-security') ?? '', /max-age=31536000/);
  });

  it('stops hashing after the limits, keeps the owner with a known browser in, and locks nobody out for good', async () => {
    const op = await addOperator(h.db, 'target', ['import']);
    const owner = from('10.9.9.9');
    assert.equal((await owner.login(op.login, op.password)).status, 303, 'the owner logged in before: their browser is known');
    const before = h.verifications.count;
    const statuses: number[] = [];
    for (let i = 0; i < 200; i++) statuses.push((await from(`10.1.0.${i % 10}`).login(op.login, `guess-${i}`)).status);
    const hashed = h.verifications.count - before;
    assert.ok(hashed <= 10, `at most the per-account limit of hashes (got ${hashed})`);
    assert.equal(statuses.filter((s) => s === 429).length, 200 - hashed);

    const stranger = from('10.2.0.1');
    const refused = await stranger.login(op.login, op.password);
    assert.equal(refused.status, 429, 'a new browser waits while the account is attacked');
    assert.match(refused.headers.get('retry-after') ?? '', /^\d+$/);

    const back = from('10.9.9.8');
    back.cookies.set('__Host-herald-device', owner.cookies.get('__Host-herald-device')!);
    assert.equal((await back.login(op.login, op.password)).status, 303, 'the known browser still logs in');

    h.clock.now = new Date(h.clock.now.getTime() + 16 * 60_000);
    assert.equal((await from('10.2.0.1').login(op.login, op.password)).status, 303, 'the window passed: no permanent lockout');
  });

  it('does not let failures against accounts that do not exist lock a real operator out of a browser they used before', async () => {
    const op = await addOperator(h.db, 'keeper', ['import']);
    const office = () => from('10.6.0.1');
    const keeper = office();
    assert.equal((await keeper.login(op.login, op.password)).status, 303, 'the operator logged in before from this browser');
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) statuses.push((await office().login(`ghost${i}`, 'guess')).status);
    assert.equal(statuses.filter((s) => s === 429).length, 50 - 12, 'the address is throttled after loginMaxFailuresPerIp');
    assert.equal(
      await h.db.models.LoginThrottle.count({ where: { key: { [Op.like]: 'a:ghost%' } } }),
      0,
      'no account-wide counter for accounts that do not exist',
    );

    const known = office();
    known.cookies.set('__Host-herald-device', keeper.cookies.get('__Host-herald-device')!);
    assert.equal((await known.login(op.login, `${op.password}-typo`)).status, 401, 'its browser is not throttled by the address, a wrong password still fails');
    assert.equal((await known.login(op.login, op.password)).status, 303, 'the correct password from that browser logs in');
    assert.equal(
      (await office().login(op.login, op.password)).status,
      429,
      'a browser never used for this account waits for the window, like any client of that address',
    );
    assert.equal((await from('10.6.0.2').login(op.login, op.password)).status, 303, 'from another address the operator is not affected');
  });

  it('limits failures per address across accounts', async () => {
    const before = h.verifications.count;
    for (let i = 0; i < 25; i++) await from('10.3.0.1').login(`user${i}`, 'guess');
    assert.ok(h.verifications.count - before <= 12, `per-address limit (got ${h.verifications.count - before})`);
  });
});
