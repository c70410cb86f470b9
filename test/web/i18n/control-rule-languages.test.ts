import assert from 'node:assert/strict';
import { updateDeliveryWhile } from '../../../server/db/repos/deliveries.js';
import { upsertRecipients } from '../../../server/db/repos/recipients.js';
import { createNewDelivery } from '../../../server/delivery/actions.js';
import { analyseDelivery, type DeliveryDeps } from '../../../server/delivery/analyse.js';
import { DEFAULT_EXCLUSIONS } from '../../../server/delivery/target-spec.js';
import { silentLogger } from '../../../server/shared/logger.js';
import { addOperator, ConsoleClient, startConsole, type ConsoleHarness } from '../helpers/console.js';

/**
 * Control-rule messages are stored once, as a key and its values, and read in the language of
 * whoever opens the delivery: a French operator and an English one see the same analysis in their
 * own words; an analysis stored before messages had keys still shows its English sentence.
 */
describe('control-rule messages in the operator’s language', function () {
  this.timeout(60_000);
  let h: ConsoleHarness;
  let analysed: number;
  let old: number;
  const nb = '\u00a0';

  before(async () => {
    h = await startConsole();
    await upsertRecipients(h.db, [{ email: 'ann@example.com' }], new Set(['email']));
    const deps: DeliveryDeps = { db: h.db, config: h.instance.config, log: silentLogger(), dkim: [] };
    const draft = (internalName: string) =>
      createNewDelivery(deps, {
        internalName,
        label: internalName,
        kind: 'marketing',
        subject: 'A subject that goes on and on well past what any mailbox list can show in one line',
        fromName: 'News',
        fromAddress: 'news@example.org',
        replyTo: null,
        html: '<p style="color:<%= recipient.fields.loyalty %>">Hello</p><img src="https://www.example.org/a.png">',
        text: null,
        headers: {},
        target: { kind: 'all' },
        exclusions: DEFAULT_EXCLUSIONS,
        serviceId: null,
        trackingEnabled: false,
        openTracking: false,
        scheduledAt: null,
        validityEnd: null,
      });
    analysed = (await draft('flawed')).id;
    await analyseDelivery(deps, analysed);
    old = (await draft('stored-before')).id;
    // As an analysis was stored before messages had keys: the sentence alone.
    const before = { issues: [{ rule: 'subject.empty', level: 'error', message: 'the subject is empty (stored in English)' }] };
    assert.ok(await updateDeliveryWhile(h.db, old, 'editing', { analysis: before }, new Date()));
  });
  after(async () => h.close());

  async function pageAs(login: string, language: string, id: number): Promise<string> {
    const op = await addOperator(h.db, login, ['prepare_deliveries']);
    await h.db.models.Operator.update({ language }, { where: { id: op.id } });
    const c = new ConsoleClient(h.base);
    await c.login(op.login, op.password);
    const page = await c.get(`/deliveries/${id}`);
    assert.equal(page.status, 200);
    return page.text.replace(/&nbsp;|&#160;/g, nb);
  }
  /** The issue lines of a delivery page, as text. */
  const issues = (html: string) => [...html.matchAll(/<li class="issue-\w+">[\s\S]*?<\/code> ([\s\S]*?)<\/li>/g)].map((m) => m[1]!);

  const cases: Array<[string, string, RegExp[]]> = [
    [
      'fr',
      'france',
      [
        new RegExp(`^l’objet fait 82${nb}caractères${nb}: les logiciels de bureau en affichent environ 60`),
        new RegExp(`^un email marketing doit avoir un lien de désabonnement dans la partie HTML${nb}:`),
        new RegExp(`^1${nb}image\\(s\\) sans texte alternatif \\(https://www.example.org/a.png\\)${nb}:`),
        new RegExp(`^aucun destinataire n’a le ou les champs personnalisés loyalty${nb}:`),
        new RegExp(`^aucune partie texte n’a été écrite${nb}: elle est générée à partir du HTML$`),
        /^html: la personnalisation n’est pas autorisée dans les attributs style$/,
      ],
    ],
    [
      'en',
      'england',
      [
        /^the subject is 82 characters long: desktop clients show about 60/,
        /^marketing mail needs an unsubscribe link in the HTML part:/,
        /^1 image\(s\) without alt text \(https:\/\/www.example.org\/a.png\):/,
        /^no recipient has the custom field\(s\) loyalty:/,
        /^no text part was written: it is generated from the HTML$/,
        /^html: personalization is not allowed in style attributes$/,
      ],
    ],
  ];
  for (const [language, login, expected] of cases)
    it(`shows one stored analysis in ${language} to an operator who reads ${language}`, async () => {
      const shown = issues(await pageAs(login, language, analysed));
      for (const pattern of expected)
        assert.ok(
          shown.some((line) => pattern.test(line)),
          `${pattern} among:\n${shown.join('\n')}`,
        );
    });

  it('stores each message as a key and its values, with the English sentence for the API', async () => {
    const row = await h.db.models.Delivery.findByPk(analysed);
    const stored = (typeof row!.analysis === 'string' ? JSON.parse(row!.analysis) : row!.analysis) as { issues: Array<Record<string, unknown>> };
    const length = stored.issues.find((i) => i.rule === 'subject.length');
    assert.deepEqual({ key: length?.key, params: length?.params }, { key: 'check.subject.length', params: { length: 82, shown: 60 } });
    assert.match(String(length?.message), /^the subject is 82 characters long/);
  });

  it('shows an analysis stored before messages had keys as it was written', async () => {
    assert.deepEqual(issues(await pageAs('francine', 'fr', old)), ['the subject is empty (stored in English)']);
  });
});
