import assert from 'node:assert/strict';
import { operatorPreferences } from '../../server/db/repos/operator-preferences.js';
import { addOperator, ConsoleClient, startConsole, type ConsoleHarness } from './helpers/console.js';

describe('operator preferences (account page)', function () {
  this.timeout(60_000);
  let h: ConsoleHarness;
  before(async () => (h = await startConsole()));
  after(async () => h.close());

  /** The last-login cell of an operator in the operators list. */
  const lastLogin = (html: string, login: string) => new RegExp(`${login}[\\s\\S]*?(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2})`).exec(html)?.[1];

  it('shows every date in the time zone the operator chose, and says which', async () => {
    h.clock.now = new Date('2026-07-15T12:34:00Z');
    const op = await addOperator(h.db, 'zoe', ['admin']);
    const c = new ConsoleClient(h.base);
    await c.login(op.login, op.password);
    const utc = await c.get('/operators');
    assert.equal(lastLogin(utc.text, 'zoe'), '2026-07-15 12:34', 'no preference: UTC');
    assert.match(utc.text, /times in UTC/);
    const cases: Array<[string, string, string]> = [
      ['America/New_York', 'America/New_York', '2026-07-15 08:34'],
      ['Asia/Kolkata', 'Asia/Calcutta', '2026-07-15 18:04'],
      ['australia/sydney', 'Australia/Sydney', '2026-07-15 22:34'],
      ['', 'UTC', '2026-07-15 12:34'],
    ];
    for (const [chosen, shownAs, shown] of cases) {
      await c.get('/account');
      const saved = await c.post('/account/preferences', { theme: 'auto', timeZone: chosen });
      assert.equal(saved.status, 303, chosen);
      assert.equal(saved.location, '/account?notice=saved');
      const page = await c.get('/operators');
      assert.equal(lastLogin(page.text, 'zoe'), shown, chosen);
      assert.ok(page.text.includes(`times in ${shownAs}`), `${chosen}: the footer names ${shownAs}`);
    }
    assert.deepEqual(await operatorPreferences(h.db, op.id), { theme: null, timeZone: null, language: null }, 'UTC is the default, stored as none');
  });

  it('keeps the zone selected on the account page and changes only the preferences posted', async () => {
    const op = await addOperator(h.db, 'yan', ['view_reports']);
    const c = new ConsoleClient(h.base);
    await c.login(op.login, op.password);
    await c.get('/account');
    assert.equal((await c.post('/account/preferences', { theme: 'dark', timeZone: 'Europe/Paris' })).status, 303);
    const account = await c.get('/account');
    assert.match(account.text, /<option selected>Europe\/Paris<\/option>/);
    assert.match(account.text, /value="dark" checked/);
    assert.equal((await c.post('/account/preferences', { timeZone: 'Australia/Adelaide' })).status, 303);
    assert.deepEqual(
      await operatorPreferences(h.db, op.id),
      { theme: 'dark', timeZone: 'Australia/Adelaide', language: null },
      'the theme was not posted: kept',
    );
  });

  it('refuses a zone that is not an IANA name with the reason, and saves nothing of that form', async () => {
    const op = await addOperator(h.db, 'xia', ['view_reports']);
    const c = new ConsoleClient(h.base);
    await c.login(op.login, op.password);
    await c.get('/account');
    const cases = ['Mars/Olympus_Mons', '+02:00', 'Europe/Paris<script>', 'x'.repeat(200)];
    for (const zone of cases) {
      const refused = await c.post('/account/preferences', { theme: 'light', timeZone: zone });
      assert.equal(refused.status, 400, zone);
      assert.match(refused.text, /Choose a time zone from the list/, zone);
      assert.doesNotMatch(refused.text, /<script>/, 'the value is not echoed unescaped');
    }
    assert.deepEqual(await operatorPreferences(h.db, op.id), { theme: null, timeZone: null, language: null });
    const forged = await c.post('/account/preferences', { _csrf: 'not-the-token', timeZone: 'Europe/Paris' });
    assert.equal(forged.status, 403, 'the form needs its CSRF token');
    assert.deepEqual(await operatorPreferences(h.db, op.id), { theme: null, timeZone: null, language: null });
  });
});
