import assert from 'node:assert/strict';
import { upsertRecipients } from '../../../server/db/repos/recipients.js';
import { changeSubscription, createService } from '../../../server/db/repos/services.js';
import { createNewDelivery, sendProof, type NewDelivery } from '../../../server/delivery/actions.js';
import { analyseDelivery } from '../../../server/delivery/analyse.js';
import { previewBroadLog } from '../../../server/delivery/preview.js';
import { DEFAULT_EXCLUSIONS } from '../../../server/delivery/target-spec.js';
import { silentLogger } from '../../../server/shared/logger.js';
import { runTrackingIngest } from '../../../server/tracking-data/ingest/run-ingest.js';
import { addOperator, ConsoleClient, startConsole, type ConsoleHarness } from '../helpers/console.js';
import { FormClient } from '../helpers/public.js';

const audit = (action: 'service_created' | 'recipient_subscribed') => ({ at: new Date(), operatorId: null, operatorLogin: 'test', action });
const PEOPLE = ['ann', 'bob', 'cy', 'dee', 'eve'] as const;

describe('opt-outs through the unsubscribe link of a message', () => {
  let h: ConsoleHarness;
  let admin: ConsoleClient;
  let serviceId: number;
  const ids: Record<string, number> = {};
  const deps = () => ({ db: h.db, config: h.instance.config, log: silentLogger(), dkim: [] });

  const content = (internalName: string): NewDelivery => ({
    internalName,
    label: `Label ${internalName}`,
    kind: 'marketing',
    subject: 'News for <%= recipient.firstName %>',
    fromName: null,
    fromAddress: 'news@example.com',
    replyTo: null,
    html: '<html><body><p>Hello</p><a href="<%= links.unsubscribe %>">Unsubscribe</a></body></html>',
    text: null,
    headers: {},
    target: { kind: 'service', serviceId },
    exclusions: DEFAULT_EXCLUSIONS,
    serviceId,
    trackingEnabled: true,
    openTracking: false,
    scheduledAt: null,
    validityEnd: null,
  });

  /** The List-Unsubscribe URL and the body's unsubscribe link of the message a recipient got (built by the sending code). */
  async function linksOf(deliveryId: number, recipientId: number): Promise<{ header: string; body: string }> {
    const log = (await h.db.models.BroadLog.findOne({ where: { deliveryId, recipientId } }))!;
    const message = (await previewBroadLog(deps(), deliveryId, log.id, h.clock.now))!;
    const header = /<([^>]+)>/.exec(message.headers!.find(([name]) => name.toLowerCase() === 'list-unsubscribe')![1])![1]!;
    const body = /href="([^"]+)">Unsubscribe/.exec(message.html!)![1]!;
    return { header: new URL(header).pathname, body: new URL(body).pathname };
  }

  const oneClick = (path: string) =>
    fetch(`${h.base}${path}`, {
      method: 'POST',
      redirect: 'manual',
      body: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://mail.provider.example' },
    });

  async function unsubscribeOnPage(path: string, scope: 'service' | 'all'): Promise<string> {
    const client = new FormClient(h.base);
    assert.equal((await client.get(path)).status, 200);
    h.clock.now = new Date(h.clock.now.getTime() + 5000);
    const done = await client.submit(path, { scope });
    assert.equal(done.status, 200);
    return done.text;
  }

  before(async () => {
    h = await startConsole('[forms]\nmaxSubmitsPerMinute = 1000');
    await upsertRecipients(
      h.db,
      PEOPLE.map((p) => ({ email: `${p}@example.com`, firstName: p })),
      new Set(['email', 'firstName']),
    );
    for (const p of PEOPLE) ids[p] = (await h.db.models.Recipient.findOne({ where: { email: `${p}@example.com` } }))!.id;
    serviceId = (
      await createService(h.db, { name: 'news', label: 'Weekly news', description: null, doubleOptIn: false, validityDays: null }, audit('service_created'))
    ).id;
    for (const p of PEOPLE)
      await changeSubscription(h.db, { serviceId, recipientId: ids[p]!, change: 'subscribe', origin: 'test' }, audit('recipient_subscribed'));
    const op = await addOperator(h.db, 'boss', ['admin']);
    admin = new ConsoleClient(h.base);
    assert.equal((await admin.login(op.login, op.password)).status, 303);
  });
  after(async () => h.close());

  it("counts unsubscribes through the message's own links (one-click POST and the page) in the delivery's Opt-outs, once per message", async () => {
    const d = await createNewDelivery(deps(), content('spring'));
    await analyseDelivery(deps(), d.id);
    const ann = await linksOf(d.id, ids.ann!);
    const bob = await linksOf(d.id, ids.bob!);
    const cy = await linksOf(d.id, ids.cy!);

    assert.equal((await oneClick(ann.header)).status, 200, 'one-click POST of the List-Unsubscribe URL');
    assert.equal((await oneClick(ann.header)).status, 200, 'a repeat');
    assert.match(await unsubscribeOnPage(bob.body, 'service'), /will not receive this newsletter/);
    assert.equal((await oneClick(cy.header)).status, 200);
    assert.match(await unsubscribeOnPage(cy.body, 'all'), /will not receive our emails/, 'then from all email: still one message');

    await runTrackingIngest(h.db, h.instance.config, h.clock.now);
    const indicators = await h.db.models.DeliveryIndicator.findByPk(d.id);
    assert.equal(indicators?.optOuts, 3, 'ann, bob and cy opted out; dee and eve did nothing');
    assert.equal(indicators?.recipientOpens, 0, 'a one-click POST comes from the mailbox, not from an opened message');
    const summary = await admin.get(`/reports/deliveries/${d.id}/summary.csv`);
    assert.equal(summary.status, 200);
    assert.match(summary.text, /^Opt-outs,3,/m);
  });

  it('labels an opt-out from all email as such in the recipient history, never as "service #0"', async () => {
    const page = await admin.get(`/recipients/${ids.cy}`);
    assert.equal(page.status, 200);
    const history = page.text.slice(page.text.indexOf('Subscription history'));
    assert.doesNotMatch(history, /#0/);
    assert.match(history, /<td>All email<\/td><td>unsubscribed<\/td>/);
    assert.match(history, /<td>Weekly news<\/td><td>unsubscribed<\/td>/);
  });

  it('says "you are already unsubscribed" when the address already is, and still offers the choice to one who is not', async () => {
    const d = await createNewDelivery(deps(), content('summer'));
    await analyseDelivery(deps(), d.id);
    const dee = await linksOf(d.id, ids.dee!);
    const subscribed = await (await fetch(`${h.base}${dee.body}`)).text();
    assert.match(subscribed, /Unsubscribe from this newsletter/);
    assert.equal((await oneClick(dee.header)).status, 200);
    const again = await (await fetch(`${h.base}${dee.body}`)).text();
    assert.match(again, /<h1>You are already unsubscribed<\/h1>/);
    assert.match(again, /will not receive this newsletter/);
    assert.doesNotMatch(again, /Unsubscribe from this newsletter/);
    await unsubscribeOnPage(dee.body, 'all');
    const gone = await (await fetch(`${h.base}${dee.body}`)).text();
    assert.match(gone, /<h1>You are already unsubscribed<\/h1>/);
    assert.match(gone, /will not receive our emails/);
  });

  it('keeps proofs sent "as recipient X" out of X\'s history', async () => {
    const d = await createNewDelivery(deps(), content('autumn'));
    const proof = await sendProof(deps(), d.id, ['seed@example.net'], ids.eve!, h.clock.now);
    assert.equal(proof.report.state, 'ready', JSON.stringify(proof.report.issues));
    assert.ok(await h.db.models.BroadLog.findOne({ where: { deliveryId: proof.proof.id, recipientId: ids.eve! } }), 'the proof is personalized with eve');
    await analyseDelivery(deps(), d.id);
    const page = await admin.get(`/recipients/${ids.eve}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /<td>Label autumn<\/td>/, 'the real delivery is listed');
    assert.doesNotMatch(page.text, /Proof: Label autumn/);
    assert.doesNotMatch(page.text, /seed@example\.net/);
  });
});
