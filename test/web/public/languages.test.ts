import assert from 'node:assert/strict';
import { upsertRecipients } from '../../../server/db/repos/recipients.js';
import { createService } from '../../../server/db/repos/services.js';
import { encodeRecipientToken } from '../../../server/shared/tokens.js';
import { FormClient, startPublic, type PublicHarness } from '../helpers/public.js';

describe('public pages in the visitor’s language', function () {
  this.timeout(60_000);
  let h: PublicHarness;
  const audit = { at: new Date(), operatorId: null, operatorLogin: 'test', action: 'service_created' as const };
  const prefs = (recipientId: number) =>
    `/p/${encodeRecipientToken(h.instance.config.secrets.trackingKey, { recipientId, purpose: 'preferences', serviceId: 0, expiresAt: 0 })}`;

  before(async () => {
    h = await startPublic('[forms]\nmaxSubmitsPerMinute = 1000');
    await createService(h.db, { name: 'news', label: 'News', description: null, doubleOptIn: true, validityDays: null }, audit);
  });
  after(async () => h.close());

  const cases: Array<[string | undefined, string, RegExp, RegExp]> = [
    [undefined, 'en', /<h1>Subscribe<\/h1>/, /Email address/],
    ['es-MX,es;q=0.9,en;q=0.5', 'es', /<h1>Suscribirse<\/h1>/, /Dirección de correo electrónico/],
    ['fr-CA,fr;q=0.9', 'fr', /<h1>Abonnement<\/h1>/, /Adresse email/],
    ['de-AT, de;q=0.8, en;q=0.1', 'de', /<h1>Anmelden<\/h1>/, /E-Mail-Adresse/],
    ['it-IT, pt;q=0.5', 'en', /<h1>Subscribe<\/h1>/, /Email address/],
    ['en;q=0.2, es;q=0.9', 'es', /<h1>Suscribirse<\/h1>/, /Dirección de correo electrónico/],
  ];
  for (const [header, language, title, field] of cases)
    it(`answers the subscription form in ${language} to Accept-Language ${JSON.stringify(header ?? '(none)')}`, async () => {
      const page = await new FormClient(h.base).get('/subscribe', header ? { 'accept-language': header } : {});
      assert.equal(page.status, 200);
      assert.match(page.text, new RegExp(`<html lang="${language}">`));
      assert.equal(page.headers.get('content-language'), language);
      assert.match(page.headers.get('vary') ?? '', /Accept-Language/i);
      assert.match(page.text, title);
      assert.match(page.text, field);
    });

  it('speaks the recipient’s own language on their preference page, whatever the browser asks', async () => {
    await upsertRecipients(h.db, [{ email: 'rosa@example.com', language: 'es' }, { email: 'hans@example.com' }], new Set(['email', 'language']));
    const rosa = (await h.db.models.Recipient.findOne({ where: { email: 'rosa@example.com' } }))!;
    const hans = (await h.db.models.Recipient.findOne({ where: { email: 'hans@example.com' } }))!;
    const own = await new FormClient(h.base).get(prefs(rosa.id), { 'accept-language': 'de' });
    assert.match(own.text, /<html lang="es">/);
    assert.match(own.text, /Sus preferencias/);
    const browser = await new FormClient(h.base).get(prefs(hans.id), { 'accept-language': 'de' });
    assert.match(browser.text, /<html lang="de">/, 'no language of their own: the browser’s');
  });

  it('answers an unknown link in the browser’s language', async () => {
    const page = await new FormClient(h.base).get('/p/forged', { 'accept-language': 'es' });
    assert.equal(page.status, 404);
    assert.match(page.text, /Este enlace no es válido/);
  });
});
