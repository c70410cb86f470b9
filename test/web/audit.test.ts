import assert from 'node:assert/strict';
import { upsertRecipients } from '../../server/db/repos/recipients.js';
import { createService } from '../../server/db/repos/services.js';
import { addOperator, ConsoleClient, startConsole, type ConsoleHarness } from './helpers/console.js';

describe('console audit log', () => {
  let h: ConsoleHarness;
  after(async () => h?.close());

  it('reads as sentences linking the operator and the objects concerned, with the detail kept below and the text escaped', async () => {
    h = await startConsole();
    const root = await addOperator(h.db, 'root', ['admin']);
    await upsertRecipients(h.db, [{ email: 'ann@example.com', firstName: 'Ann' }], new Set(['email', 'firstName']));
    const ann = (await h.db.models.Recipient.findOne({ where: { email: 'ann@example.com' } }))!;
    const service = await createService(
      h.db,
      { name: 'news', label: 'News <b>', description: null, doubleOptIn: false, validityDays: null },
      {
        at: new Date(),
        operatorId: root.id,
        operatorLogin: 'root',
        action: 'service_created',
        targetType: 'service',
      },
    );
    const admin = new ConsoleClient(h.base);
    await admin.login(root.login, root.password);
    await admin.get(`/recipients/${ann.id}`);
    assert.equal((await admin.post(`/recipients/${ann.id}/subscriptions`, { service: String(service.id), change: 'subscribe' })).status, 303);
    const page = (await admin.get('/audit')).text;
    const sentences = [...page.matchAll(/<li><span class="when">[^<]+<\/span> ([\s\S]*?)(?= <span class="muted">|\n|\s*<\/li>)/g)].map((m) => m[1]);
    assert.deepEqual(sentences, [
      `<a href="/operators/${root.id}">root</a> subscribed <a href="/recipients/${ann.id}">ann@example.com</a> to the service news`,
      `<a href="/operators/${root.id}">root</a> logged in`,
      `<a href="/operators/${root.id}">root</a> created the service <a href="/services/${service.id}">News &lt;b&gt;</a>`,
    ]);
    assert.match(page, /<details><summary>Details<\/summary><dl><dt>service<\/dt><dd>news<\/dd><\/dl><\/details>/);
    assert.doesNotMatch(page, /<code class="small">\{/, 'no raw JSON');
  });
});
