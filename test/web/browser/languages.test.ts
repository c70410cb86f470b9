import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { addOperator, startConsole, type ConsoleHarness } from '../helpers/console.js';
import { startPublic, type PublicHarness } from '../helpers/public.js';
import { chromiumAvailable, openBrowser, type TestBrowser } from './browser.js';

describe('the console in Spanish on Mexico City’s clock (chromium)', function () {
  this.timeout(120_000);
  let h: ConsoleHarness;
  let browser: TestBrowser | undefined;
  let page: Page;

  before(async function () {
    if (!chromiumAvailable()) this.skip();
    h = await startConsole();
    h.clock.now = new Date('2026-12-07T17:00:00Z');
    const lucia = await addOperator(h.db, 'lucia', ['admin'], { password: 'una frase larga y segura' });
    await h.db.models.Operator.update({ language: 'es', timeZone: 'America/Mexico_City' }, { where: { id: lucia.id } });
    await h.db.write((transaction) =>
      h.db.models.Delivery.create(
        {
          internalName: 'primavera',
          label: 'Ofertas de primavera',
          kind: 'marketing',
          state: 'finished',
          // 02:30 UTC on the 7th is 20:30 on the 6th in Mexico City (UTC−6).
          startedAt: new Date('2026-12-07T02:30:00Z'),
          processed: 12_345,
          sent: 11_000,
          failed: 1_345,
        },
        { transaction },
      ),
    );
    // The browser asks for English: the operator's own preference wins.
    browser = await openBrowser({ width: 1280, height: 900 });
    page = browser.page;
    await page.setExtraHTTPHeaders({ 'accept-language': 'en-US,en;q=0.9' });
  });
  after(async () => {
    await browser?.close();
    await h?.close();
  });

  it('logs in and shows the dashboard in Spanish, with dates on Mexico City’s wall clock and numbers written the Spanish way', async () => {
    await page.goto(`${h.base}/login`);
    assert.match((await page.textContent('h1')) ?? '', /Log in to Herald/, 'before login: the browser’s language');
    await page.fill('input[name=login]', 'lucia');
    await page.fill('input[name=password]', 'una frase larga y segura');
    await page.click('main button[type=submit]');
    await page.waitForURL(`${h.base}/`);
    assert.equal(await page.getAttribute('html', 'lang'), 'es');
    assert.equal((await page.textContent('h1'))?.trim(), 'Inicio');
    const main = (await page.textContent('main')) ?? '';
    for (const words of ['Últimos envíos', 'Iniciado', 'Tasa de apertura', 'Cola y módulos', 'Envíos', 'Destinatarios'])
      assert.ok(main.includes(words) || ((await page.textContent('body')) ?? '').includes(words), words);
    const row = (await page.textContent('tr:has-text("Ofertas de primavera")')) ?? '';
    assert.match(row, /06\/12\/2026 20:30/, 'started at 02:30 UTC on the 7th: 20:30 on the 6th in Mexico City');
    assert.match(row, /12\.345/, 'thousands with a dot');
    assert.match(row, /89,1\s%/, 'a decimal comma');
    assert.match((await page.textContent('footer')) ?? '', /horas en America\/Mexico_City/);
    assert.match((await page.textContent('nav')) ?? '', /Registro de auditoría/);
    assert.match((await page.textContent('header')) ?? '', /Cerrar sesión/);
    await browser!.shot('languages-dashboard-es');
    assert.deepEqual(browser!.problems, []);
  });

  it('switches the console to English from the account page, keeping the time zone', async () => {
    await page.goto(`${h.base}/account`);
    assert.equal((await page.textContent('h1'))?.trim(), 'Su cuenta');
    await page.selectOption('select[name=language]', 'en');
    await page.click('main form button[type=submit]');
    await page.waitForURL(/\/account\?notice=saved$/);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.goto(`${h.base}/`);
    const row = (await page.textContent('tr:has-text("Ofertas de primavera")')) ?? '';
    assert.match(row, /2026-12-06 20:30/);
    assert.match(row, /12,345/);
  });
});

describe('public pages in the browser’s language (chromium)', function () {
  this.timeout(120_000);
  let h: PublicHarness;
  let browser: TestBrowser | undefined;

  before(async function () {
    if (!chromiumAvailable()) this.skip();
    h = await startPublic();
    browser = await openBrowser({ width: 390, height: 844 });
  });
  after(async () => {
    await browser?.close();
    await h?.close();
  });

  const cases: Array<[string, string, string, string]> = [
    ['es-ES,es;q=0.9', 'es', 'Suscribirse', 'Dirección de correo electrónico'],
    ['fr-FR,fr;q=0.9,en;q=0.5', 'fr', 'Abonnement', 'Adresse email'],
    ['de-DE,de;q=0.9', 'de', 'Anmelden', 'E-Mail-Adresse'],
  ];
  for (const [header, language, title, label] of cases)
    it(`shows the subscription form in ${language} to a browser asking for ${header}`, async () => {
      const page = browser!.page;
      await page.setExtraHTTPHeaders({ 'accept-language': header });
      await page.goto(`${h.base}/subscribe`);
      assert.equal(await page.getAttribute('html', 'lang'), language);
      assert.equal((await page.textContent('h1'))?.trim(), title);
      assert.ok(await page.isVisible(`label:has-text("${label}") input[name=email]`), label);
      await browser!.shot(`languages-subscribe-${language}`);
      assert.deepEqual(browser!.problems, []);
    });
});
