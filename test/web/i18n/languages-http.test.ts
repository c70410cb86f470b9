import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Koa from 'koa';
import { operatorPreferences } from '../../../server/db/repos/operator-preferences.js';
import { ConfigError } from '../../../server/shared/errors.js';
import { listenHttp } from '../../../server/shared/http-server.js';
import { EN } from '../../../server/web/i18n/en.js';
import { scopedTranslator, type Catalogues } from '../../../server/web/i18n/translate.js';
import { browserLanguage, operatorLanguage } from '../../../server/web/middleware/language.js';
import type { ConsoleState } from '../../../server/web/state.js';
import type { Operator } from '../../../server/db/models/index.js';
import { silentLogger } from '../../../server/shared/logger.js';
import { createWebApp } from '../../../server/web/app.js';
import { createViews } from '../../../server/web/views.js';
import { createInstance, openTestDb } from '../../helpers/instance.js';
import { addOperator, ConsoleClient, startConsole, type ConsoleHarness } from '../helpers/console.js';

describe('languages in the console', function () {
  this.timeout(60_000);
  let h: ConsoleHarness;
  let overrides: string;
  before(async () => {
    overrides = mkdtempSync(join(tmpdir(), 'herald-messages-'));
    writeFileSync(join(overrides, 'en.toml'), '"nav.recipients" = "Contacts"\n[home]\nrecent_deliveries = "Our latest sends"\n');
    h = await startConsole(`[languages]\noverridesDir = ${JSON.stringify(overrides)}\n`);
  });
  after(async () => {
    await h.close();
    rmSync(overrides, { recursive: true, force: true });
  });

  it('lets an operator choose the console language among the registered ones, and refuses any other', async () => {
    const op = await addOperator(h.db, 'lea', ['view_reports']);
    const c = new ConsoleClient(h.base);
    await c.login(op.login, op.password);
    const page = await c.get('/account');
    assert.match(page.text, /<option value="en" lang="en">English<\/option>/);
    assert.match(page.text, /The site’s language \(English\)/);
    assert.equal((await c.post('/account/preferences', { language: 'en' })).status, 303);
    assert.deepEqual(await operatorPreferences(h.db, op.id), { theme: null, timeZone: null, language: 'en' });
    for (const bad of ['xx', 'tlh', '<b>']) {
      const refused = await c.post('/account/preferences', { language: bad });
      assert.equal(refused.status, 400, bad);
      assert.match(refused.text, /Choose one of the languages offered\./);
    }
    assert.equal((await c.post('/account/preferences', { language: '' })).status, 303);
    assert.equal((await operatorPreferences(h.db, op.id))?.language, null, 'empty: the site’s language');
  });

  it('lets an administrator set an operator’s language on the operator form', async () => {
    const admin = await addOperator(h.db, 'ada', ['admin']);
    const c = new ConsoleClient(h.base);
    await c.login(admin.login, admin.password);
    await c.get('/operators/new');
    assert.equal((await c.post('/operators', { login: 'max', rights: 'view_reports', language: 'en' })).status, 200);
    const max = await h.db.models.Operator.findOne({ where: { login: 'max' } });
    assert.equal(max?.language, 'en');
    const form = await c.get(`/operators/${max!.id}`);
    assert.match(form.text, /<option value="en" lang="en" selected>English<\/option>/);
    const refused = await c.post(`/operators/${max!.id}`, { name: 'Max', rights: 'view_reports', language: 'xx' });
    assert.equal(refused.status, 400);
    assert.match(refused.text, /Choose one of the languages offered\./);
    assert.equal((await c.post(`/operators/${max!.id}`, { name: 'Max', rights: 'view_reports', language: '' })).status, 303);
    assert.equal((await h.db.models.Operator.findByPk(max!.id))?.language, null);
  });

  it('keeps a recipient’s language, editable among every language Herald speaks', async () => {
    const admin = await addOperator(h.db, 'ida', ['admin']);
    const r = await h.db.models.Recipient.create({ email: 'rosa@example.com' });
    const c = new ConsoleClient(h.base);
    await c.login(admin.login, admin.password);
    const edit = await c.get(`/recipients/${r.id}/edit`);
    for (const name of ['English', 'Español', 'Français', 'Deutsch']) assert.ok(edit.text.includes(`>${name}</option>`), name);
    assert.equal((await c.post(`/recipients/${r.id}`, { email: 'rosa@example.com', emailFormat: 'html', language: 'es' })).status, 303);
    assert.equal((await h.db.models.Recipient.findByPk(r.id))?.language, 'es');
    assert.match((await c.get(`/recipients/${r.id}`)).text, /<dd>Español<\/dd>/);
    const refused = await c.post(`/recipients/${r.id}`, { email: 'rosa@example.com', emailFormat: 'html', language: 'xx' });
    assert.equal(refused.status, 400);
    assert.match(refused.text, /Choose one of the languages offered\./);
    assert.equal((await h.db.models.Recipient.findByPk(r.id))?.language, 'es', 'nothing saved from the refused form');
  });

  it('shows the site’s own wording in place of the shipped one, and says the page’s language', async () => {
    const op = await addOperator(h.db, 'sam', ['admin']);
    const c = new ConsoleClient(h.base);
    await c.login(op.login, op.password);
    const home = await c.get('/');
    assert.match(home.text, /<html lang="en"/);
    assert.match(home.text, />Contacts</, 'a quoted dotted key');
    assert.match(home.text, /Our latest sends/, 'a key written as a TOML table');
    assert.doesNotMatch(home.text, />Recipients</);
  });
});

describe('site overrides of the wording, checked at start', function () {
  this.timeout(60_000);
  const cases: Array<[string, string, string, RegExp]> = [
    ['an unknown key', 'en.toml', '"nav.recipents" = "Contacts"\n', /en\.toml: nav\.recipents: no such text in Herald/],
    [
      'a placeholder the text cannot fill',
      'en.toml',
      '"home.setup" = "{steps} left"\n',
      /en\.toml: home\.setup: uses \{steps\}, which this text cannot fill \(it can use: \{count\}\)/,
    ],
    ['a value that is not text', 'en.toml', '"nav.recipients" = 3\n', /en\.toml: nav\.recipients: expected a non-empty text/],
    ['a language Herald does not ship', 'xx.toml', '"nav.recipients" = "X"\n', /xx\.toml: \(file name\): "xx" is not a language Herald ships/],
    ['a file that is not TOML', 'en.toml', 'nav.recipients = \n', /en\.toml: \(file\): not valid TOML/],
  ];
  for (const [what, file, text, error] of cases)
    it(`refuses ${what}, naming the file and the key`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'herald-messages-'));
      const instance = createInstance(`[languages]\noverridesDir = ${JSON.stringify(dir)}\n`);
      const db = await openTestDb(instance);
      try {
        writeFileSync(join(dir, file), text);
        assert.throws(
          () => createWebApp({ config: instance.config, db, log: silentLogger(), views: createViews() }),
          (err: Error) => err instanceof ConfigError && error.test(err.message) && err.message.startsWith(join(dir, file)),
        );
      } finally {
        await db.close();
        instance.cleanup();
        rmSync(dir, { recursive: true, force: true });
      }
    });
});

describe('the language a request is answered in', () => {
  // A second catalogue of two keys, enough to see which language answers.
  const catalogues = { en: EN, es: { ...EN, 'nav.recipients': 'Destinatarios', 'nav.logout': 'Cerrar sesión' } } as unknown as Catalogues;
  const t = scopedTranslator(catalogues);

  const cases: Array<[string, string | undefined, string | null, string, string]> = [
    ['no header and no operator: the site’s language', undefined, null, 'en', 'Recipients'],
    ['the browser’s language when registered', 'es-MX,es;q=0.9', null, 'en', 'Destinatarios'],
    ['the site’s language when the browser’s is not registered', 'de-DE,de;q=0.9', null, 'es', 'Destinatarios'],
    ['the operator’s preference over the browser’s', 'es', 'en', 'en', 'Recipients'],
    ['the operator’s preference over the site’s', undefined, 'es', 'en', 'Destinatarios'],
    ['the browser’s when the operator’s is not registered', 'es', 'fr', 'en', 'Destinatarios'],
  ];
  for (const [what, header, operator, site, expected] of cases)
    it(`answers in ${what}`, async () => {
      const app = new Koa<ConsoleState>();
      app.use(browserLanguage(['en', 'es'], site));
      app.use((ctx, next) => {
        if (operator) ctx.state.operator = { language: operator } as Operator;
        return next();
      });
      app.use(operatorLanguage(['en', 'es']));
      app.use(async (ctx) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        ctx.body = `${t('nav.recipients')}`;
      });
      const server = await listenHttp(app.callback(), '127.0.0.1', 0);
      try {
        const res = await fetch(`http://127.0.0.1:${server.port}/`, { headers: header ? { 'accept-language': header } : {} });
        assert.equal(await res.text(), expected);
      } finally {
        await server.close();
      }
    });
});
