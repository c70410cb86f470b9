import assert from 'node:assert/strict';
import { hashSessionId } from '../../server/web/security/session-token.js';
import { addOperator, ConsoleClient, startConsole, type ConsoleHarness } from './helpers/console.js';

const MINUTE = 60_000;

describe('console login and sessions', function () {
  // Several password hashes per test (scrypt), slow on a busy machine.
  this.timeout(60_000);
  let h: ConsoleHarness;
  before(async () => (h = await startConsole()));
  after(async () => h.close());
  const advance = (ms: number) => (h.clock.now = new Date(h.clock.now.getTime() + ms));

  it('makes an operator with a one-time password choose a new one before anything else', async () => {
    const op = await addOperator(h.db, 'ann', ['admin'], { password: 'one-time-password-123', mustChange: true });
    const c = new ConsoleClient(h.base);
    const login = await c.login(op.login, op.password);
    assert.equal(login.status, 303);
    assert.equal(login.location, '/password');
    assert.equal((await c.get('/recipients')).location, '/password', 'other pages send back to the password form');
    await c.get('/password');
    assert.equal((await c.post('/services', { name: 'x', label: 'x' })).status, 403);
    const weak = await c.post('/password', { current: op.password, password: 'short', confirm: 'short' });
    assert.equal(weak.status, 400);
    assert.match(weak.text, /at least 12 characters/);
    for (const common of ['Password2024!', 'qwertyqwertyqwerty', '1qaz2wsx3edc4rfv']) {
      const refused = await c.post('/password', { current: op.password, password: common, confirm: common });
      assert.equal(refused.status, 400, common);
      assert.match(refused.text, /stolen or commonly used/, common);
    }
    const wrong = await c.post('/password', { current: 'not-the-password', password: 'a-much-better-password', confirm: 'a-much-better-password' });
    assert.match(wrong.text, /not your current password/);
    const changed = await c.post('/password', { current: op.password, password: 'a-much-better-password', confirm: 'a-much-better-password' });
    assert.equal(changed.location, '/?notice=password_changed');
    assert.equal((await c.get('/recipients')).status, 200);
    assert.equal((await new ConsoleClient(h.base).login('ann', op.password)).status, 401, 'the one-time password is gone');
    assert.equal((await new ConsoleClient(h.base).login('ann', 'a-much-better-password')).status, 303);
  });

  it('answers a wrong password, an unknown login and a disabled account with the same message', async () => {
    await addOperator(h.db, 'bea', ['view_reports']);
    const replies = [await new ConsoleClient(h.base).login('bea', 'wrong-password'), await new ConsoleClient(h.base).login('nobody', 'wrong-password')];
    for (const r of replies) {
      assert.equal(r.status, 401);
      assert.match(r.text, /Wrong login or password/);
    }
  });

  it('sets an httpOnly, SameSite session cookie of 256 random bits, stored only as a hash, new at each login', async () => {
    const op = await addOperator(h.db, 'cid', ['import']);
    const c = new ConsoleClient(h.base);
    await c.get('/login');
    const pre = c.cookies.get('herald-pre');
    const reply = await c.post('/login', { login: op.login, password: op.password });
    const line = reply.headers.getSetCookie().find((l) => l.startsWith('herald-sid='))!;
    assert.match(line, /; Path=\/; HttpOnly; SameSite=Lax/);
    assert.doesNotMatch(line, /Secure/, 'no Secure flag on a plain-HTTP public URL');
    const id = c.cookies.get('herald-sid')!;
    assert.equal(Buffer.from(id, 'base64url').length, 32);
    assert.notEqual(id, pre, 'the pre-login cookie never becomes the session');
    assert.ok(await h.db.models.WebSession.findByPk(hashSessionId(id)));
    assert.equal(await h.db.models.WebSession.count({ where: { idHash: id } }), 0, 'the raw id is not stored');
    const again = new ConsoleClient(h.base);
    await again.login(op.login, op.password);
    assert.notEqual(again.cookies.get('herald-sid'), id);
  });

  it('ends a session at logout: the old cookie then leads to the login page (401 for API clients)', async () => {
    const op = await addOperator(h.db, 'dan', ['import']);
    const c = new ConsoleClient(h.base);
    await c.login(op.login, op.password);
    const cookie = c.cookies.get('herald-sid')!;
    await c.get('/recipients');
    assert.equal((await c.post('/logout')).location, '/login?notice=logged_out');
    const replay = new ConsoleClient(h.base);
    replay.cookies.set('herald-sid', cookie);
    assert.match((await replay.get('/recipients')).location ?? '', /^\/login\?next=%2Frecipients&ended=1$/);
    replay.cookies.set('herald-sid', cookie);
    assert.equal((await replay.get('/recipients', { accept: 'application/json' })).status, 401);
  });

  it('ends a session after 30 idle minutes and 12 hours after login however active', async () => {
    const op = await addOperator(h.db, 'eve', ['import']);
    const idle = new ConsoleClient(h.base);
    await idle.login(op.login, op.password);
    advance(29 * MINUTE);
    assert.equal((await idle.get('/recipients')).status, 200, 'activity within the idle timeout keeps it');
    advance(29 * MINUTE);
    assert.equal((await idle.get('/recipients')).status, 200);
    advance(31 * MINUTE);
    assert.match((await idle.get('/recipients')).location ?? '', /^\/login/);

    const busy = new ConsoleClient(h.base);
    await busy.login(op.login, op.password);
    for (let elapsed = 0; elapsed < 12 * 60 - 20; elapsed += 20) {
      advance(20 * MINUTE);
      assert.equal((await busy.get('/recipients')).status, 200, `after ${elapsed + 20} min`);
    }
    advance(25 * MINUTE);
    assert.match((await busy.get('/recipients')).location ?? '', /^\/login/);
  });

  it('ends the sessions of a disabled operator at once', async () => {
    const admin = await addOperator(h.db, 'fay', ['admin']);
    const op = await addOperator(h.db, 'gus', ['import']);
    const a = new ConsoleClient(h.base);
    await a.login(admin.login, admin.password);
    const g = new ConsoleClient(h.base);
    await g.login(op.login, op.password);
    await a.get(`/operators/${op.id}`);
    assert.equal((await a.post(`/operators/${op.id}`, { rights: 'import', disabled: 'on' })).status, 303);
    assert.match((await g.get('/recipients')).location ?? '', /^\/login/);
    assert.equal((await new ConsoleClient(h.base).login(op.login, op.password)).status, 401);
  });

  it('returns only to console paths after login (no open redirect)', async () => {
    const op = await addOperator(h.db, 'hal', ['import']);
    for (const [next, expected] of [
      ['/lists', '/lists'],
      ['//evil.test/x', '/'],
      ['https://evil.test/', '/'],
      ['/\\evil.test', '/'],
    ] as const) {
      const c = new ConsoleClient(h.base);
      await c.get('/login');
      assert.equal((await c.post('/login', { login: op.login, password: op.password, next })).location, expected, next);
    }
  });
});
