import assert from 'node:assert/strict';
import { simpleParser, type ParsedMail } from 'mailparser';
import { createService } from '../../server/db/repos/services.js';
import { upsertRecipients } from '../../server/db/repos/recipients.js';
import { startMtaService, type MtaService } from '../../server/mta/mta-service.js';
import { silentLogger } from '../../server/shared/logger.js';
import { until } from '../helpers/mta.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.js';
import { api, FormClient, startPublic, type PublicHarness } from '../web/helpers/public.js';

/**
 * The double opt-in confirmation in the recipient's language, end to end: a visitor answers the
 * public form over real HTTP, the real MTA sends the confirmation to a real SMTP server, and the
 * captured message is read as a mail client would. The site's default language here is French, so
 * the fallback shows.
 */
describe('system mails in the recipient’s language', function () {
  this.timeout(90_000);
  let smtp: TestSmtpServer;
  let h: PublicHarness;
  let mta: MtaService;
  let news: number;

  before(async () => {
    smtp = await startSmtpServer();
    h = await startPublic(
      [
        '[forms]\nmaxSubmitsPerMinute = 1000',
        '[languages]\ndefault = "fr"',
        `[mta]\ntransport = "smtp"\ntls = "disabled"\nidlePollMs = 100\ncommitIntervalMs = 20`,
        `[[mta.routes]]\ndomain = "example.test"\nhosts = ["127.0.0.1:${smtp.port}"]`,
      ].join('\n'),
    );
    news = (
      await createService(
        h.db,
        { name: 'news', label: 'Weekly news', description: null, doubleOptIn: true, validityDays: null },
        {
          at: new Date(),
          operatorId: null,
          operatorLogin: 'test',
          action: 'service_created',
        },
      )
    ).id;
    await upsertRecipients(h.db, [{ email: 'hans@example.test', language: 'de' }], new Set(['email', 'language']));
    mta = await startMtaService(h.db, h.instance.config, h.instance.paths, silentLogger(), () => new Date());
  });
  after(async () => {
    await mta?.stop();
    await h?.close();
    await smtp?.close();
  });

  /** Answers the form as a browser sending `acceptLanguage`, then waits for the mail the MTA sends. */
  async function signUp(email: string, acceptLanguage: string): Promise<{ mail: ParsedMail; raw: string; page: string }> {
    const client = new FormClient(h.base, { 'accept-language': acceptLanguage });
    assert.equal((await client.get('/subscribe')).status, 200);
    h.clock.now = new Date(h.clock.now.getTime() + 5000);
    const reply = await client.submit('/subscribe', { email, services: [String(news)] });
    assert.equal(reply.status, 200);
    await until(() => smtp.received.some((m) => m.to.includes(email)), 30_000, `the confirmation to ${email}`);
    const raw = smtp.received.find((m) => m.to.includes(email))!.raw;
    return { mail: await simpleParser(raw), raw: raw.toString('utf8'), page: reply.text };
  }

  const link = (mail: ParsedMail) => /http:\/\/localhost:8080\/confirm\?t=([^\s"<]+)/.exec(mail.text ?? '')?.[1];

  const cases: Array<{ who: string; email: string; acceptLanguage: string; language: string; subject: string; text: RegExp[]; html: RegExp[] }> = [
    {
      who: 'a Spanish visitor (Accept-Language es)',
      email: 'rosa@example.test',
      acceptLanguage: 'es-ES,es;q=0.9,en;q=0.5',
      language: 'es',
      subject: 'Confirme su suscripción',
      text: [/^Hola:/, /Ha solicitado recibir: Weekly news\./, /Confirme que esta dirección es suya abriendo este enlace:/, /válido durante 48 horas/],
      html: [/<html lang="es">/, /Ha solicitado recibir: <strong>Weekly news<\/strong>\./, />Confirmar mi suscripción<\/a>/],
    },
    {
      who: 'a German recipient, whatever the browser asks',
      email: 'hans@example.test',
      acceptLanguage: 'en',
      language: 'de',
      subject: 'Bitte bestätigen Sie Ihr Abonnement',
      text: [/^Guten Tag,/, /Sie haben Folgendes angefordert: Weekly news\./, /Der Link ist 48 Stunden gültig/],
      html: [/<html lang="de">/, />Abonnement bestätigen<\/a>/],
    },
    {
      who: 'a visitor in a language Herald does not speak (the site default, French)',
      email: 'yuki@example.test',
      acceptLanguage: 'ja-JP,ja',
      language: 'fr',
      subject: 'Veuillez confirmer votre abonnement',
      text: [/^Bonjour,/, /Vous avez demandé à recevoir\u00a0: Weekly news\./, /valable 48\u00a0heures/],
      html: [/<html lang="fr">/, />Confirmer mon abonnement<\/a>/],
    },
  ];
  for (const c of cases)
    it(`sends the double opt-in confirmation to ${c.who} in ${c.language}`, async () => {
      const { mail, raw } = await signUp(c.email, c.acceptLanguage);
      assert.equal(mail.subject, c.subject);
      if (/[^\x20-\x7e]/.test(c.subject)) assert.match(raw, /^Subject: =\?UTF-8\?/im, 'a non-ASCII subject is encoded (RFC 2047)');
      assert.match(raw, new RegExp(`^Content-Language: ${c.language}\r$`, 'm'));
      assert.equal((mail.headers.get('content-type') as { value: string }).value, 'multipart/alternative');
      for (const pattern of c.text) assert.match(mail.text ?? '', pattern);
      for (const pattern of c.html) assert.match(String(mail.html), pattern);
      assert.equal(mail.headers.get('list-unsubscribe'), undefined, 'a confirmation is not marketing mail');
      assert.ok(link(mail), 'the confirmation link');
    });

  it('writes the confirmation an API call asks for in the recipient’s language', async () => {
    await upsertRecipients(h.db, [{ email: 'lola@example.test', language: 'es' }], new Set(['email', 'language']));
    const lola = (await h.db.models.Recipient.findOne({ where: { email: 'lola@example.test' } }))!;
    const auth = await h.apiKey(['recipients:write']);
    assert.equal((await api(h.base, auth, 'PUT', `/recipients/${lola.id}/subscriptions/news`, { doubleOptIn: true })).status, 202);
    await until(() => smtp.received.some((m) => m.to.includes('lola@example.test')), 30_000, 'the confirmation to lola');
    const mail = await simpleParser(smtp.received.find((m) => m.to.includes('lola@example.test'))!.raw);
    assert.equal(mail.subject, 'Confirme su suscripción');
    assert.equal(mail.headers.get('content-language'), 'es');
  });

  it('gives the confirmed recipient the language of the form they answered, and keeps a language they had', async () => {
    for (const email of ['rosa@example.test', 'hans@example.test']) {
      const mail = await simpleParser(smtp.received.find((m) => m.to.includes(email))!.raw);
      const client = new FormClient(h.base, { 'accept-language': 'en' });
      await client.get(`/confirm?t=${link(mail)!}`);
      const done = await client.submit('/confirm', { t: decodeURIComponent(link(mail)!) });
      assert.equal(done.status, 200);
    }
    const language = async (email: string) => (await h.db.models.Recipient.findOne({ where: { email } }))?.language;
    assert.equal(await language('rosa@example.test'), 'es', 'a new recipient gets the form’s language');
    assert.equal(await language('hans@example.test'), 'de', 'a recipient’s own language is kept');
    assert.equal((await h.db.models.Signup.findOne({ where: { email: 'yuki@example.test' } }))?.language, 'fr', 'the signup keeps the form’s language');
  });
});
