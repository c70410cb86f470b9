import assert from 'node:assert/strict';
import { createDelivery } from '../../../server/db/repos/delivery-state.js';
import { createList } from '../../../server/db/repos/lists.js';
import { upsertRecipients } from '../../../server/db/repos/recipients.js';
import { changeSubscription, createService } from '../../../server/db/repos/services.js';
import { EN } from '../../../server/web/i18n/en.js';
import { CATALOGUES } from '../../../server/web/i18n/translate.js';
import { addOperator, ConsoleClient, startConsole, type ConsoleHarness } from '../helpers/console.js';

/** Pages a crawl never opens: they end the session, download files or serve assets. */
const SKIP = /^\/(logout|static|l\/)|\.csv(\?|$)|\/export(\?|$)/;

/** A page's visible text; the contents of text areas are what operators write (a gallery template's email), not the console's. */
const decode = (html: string) =>
  html
    .replace(/<(script|style|textarea)\b[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

/**
 * English phrases a translated page must not show: the words between placeholders of every English
 * text the translation words differently, when long enough to be a phrase rather than a shared word.
 */
function englishPhrases(lang: string): string[] {
  const translation = CATALOGUES[lang]!;
  const phrases = new Set<string>();
  for (const [key, english] of Object.entries(EN as Record<string, string>))
    if (translation[key] !== english)
      for (const piece of english.split(/\{\w+\}/)) {
        const phrase = piece.trim();
        if (phrase.length >= 12 && phrase.includes(' ') && !Object.values(translation).some((text) => text.includes(phrase))) phrases.add(phrase);
      }
  return [...phrases];
}

describe('the console in Spanish, French and German', function () {
  this.timeout(120_000);
  let h: ConsoleHarness;
  before(async () => {
    h = await startConsole();
    const audit = { at: new Date(), operatorId: null, operatorLogin: null, action: 'service_created' as const };
    await upsertRecipients(h.db, [{ email: 'ann@example.com', firstName: 'Ann', lastName: 'Lee' }], new Set(['email', 'firstName', 'lastName']));
    const recipient = (await h.db.models.Recipient.findOne({ where: { email: 'ann@example.com' } }))!;
    const service = await createService(h.db, { name: 'news', label: 'News', description: null, doubleOptIn: true, validityDays: null }, audit);
    await createList(h.db, { name: 'vip', label: 'VIP', description: null, expiresAt: null }, { ...audit, action: 'list_created' });
    await changeSubscription(
      h.db,
      { serviceId: service.id, recipientId: recipient.id, change: 'subscribe', origin: 'test' },
      { ...audit, action: 'recipient_subscribed' },
    );
    await createDelivery(h.db, {
      state: 'editing',
      internalName: 'spring',
      label: 'Spring',
      subject: 'Hi',
      fromAddress: 'news@example.com',
      html: '<p>Hi</p><a href="<%= links.unsubscribe %>">x</a>',
      target: { kind: 'all' },
    });
  });
  after(() => h.close());

  const cases: Array<[string, string, string[]]> = [
    ['es', 'Español', ['Destinatarios', 'Envíos', 'Cerrar sesión']],
    ['fr', 'Français', ['Destinataires', 'Diffusions', 'Se déconnecter']],
    ['de', 'Deutsch', ['Empfänger', 'Versände', 'Abmelden']],
  ];
  for (const [lang, name, words] of cases)
    it(`shows every page an administrator reaches in ${name}, with no English sentence left`, async () => {
      const op = await addOperator(h.db, `admin-${lang}`, ['admin']);
      await h.db.models.Operator.update({ language: lang }, { where: { id: op.id } });
      const c = new ConsoleClient(h.base);
      await c.login(op.login, op.password);
      const phrases = englishPhrases(lang);
      const seen = new Set<string>();
      const queue = ['/'];
      const problems: string[] = [];
      while (queue.length > 0 && seen.size < 150) {
        const path = queue.shift()!;
        if (seen.has(path)) continue;
        seen.add(path);
        const page = await c.get(path);
        if (page.status !== 200 || !(page.headers.get('content-type') ?? '').startsWith('text/html')) continue;
        if (!page.text.includes(`<html lang="${lang}"`)) problems.push(`${path}: not in ${lang}`);
        const text = decode(page.text);
        for (const phrase of phrases) if (text.includes(phrase)) problems.push(`${path}: “${phrase}”`);
        for (const [, href] of page.text.matchAll(/href="(\/[^"#]*)"/g)) {
          const next = href!.replace(/&amp;/g, '&');
          if (!SKIP.test(next) && !seen.has(next)) queue.push(next);
        }
      }
      assert.ok(seen.size >= 60, `crawled ${seen.size} pages`);
      assert.deepEqual(problems, []);
      const home = decode((await c.get('/')).text);
      for (const word of words) assert.ok(home.includes(word), word);
    });

  it('answers the public subscription form in the browser’s language', async () => {
    const cases: Array<[string, string]> = [
      ['fr-FR,fr;q=0.9,en;q=0.5', 'Choisissez ce que vous souhaitez recevoir.'],
      ['de-AT,de;q=0.9', 'Wählen Sie, was Sie erhalten möchten.'],
    ];
    for (const [header, intro] of cases) {
      const res = await fetch(`${h.base}/subscribe`, { headers: { 'accept-language': header } });
      assert.equal(res.status, 200, header);
      assert.ok(decode(await res.text()).includes(intro), header);
    }
  });
});
