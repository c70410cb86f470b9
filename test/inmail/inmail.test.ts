import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { broadLogStatusCounts } from '../../server/db/repos/delivery-counters.js';
import { APP_ROOT } from '../../server/shared/app-root.js';
import { deliveryCounters } from '../../server/shared/delivery-counters.js';
import { encodeRecipientToken } from '../../server/shared/tokens.js';
import { startInmailHarness, type InmailHarness } from './inmail-instance.js';

const fixture = (name: string) => readFileSync(join(APP_ROOT, 'test', 'fixtures', 'bounces', name), 'utf8');

/** inMail end to end: real SMTP client (nodemailer) → spool → parser thread → SQLite. */
describe('inMail receives bounces over SMTP', function () {
  this.timeout(30_000);
  let h: InmailHarness;
  before(async () => (h = await startInmailHarness()));
  after(async () => h.stop());

  const quarantineOf = (address: string) => h.db.models.Quarantine.findOne({ where: { address } });

  it('applies a DSN sent to a VERP address to its broad log and quarantines the address', async () => {
    const seeded = await h.seed('userunknown@bouncehammer.jp');
    const reply = await h.send(seeded.verp, fixture('lhost-sendmail-01.eml'));
    assert.match(reply, /^250 /);
    await h.service.idle();
    const log = await h.db.models.BroadLog.findByPk(seeded.broadLogId);
    assert.deepEqual([log?.status, log?.failureType, log?.failureReason], ['failed', 'hard', 'user_unknown']);
    assert.match(log?.failureText ?? '', /User Unknown/);
    const text = await h.db.models.BounceText.findByPk(log!.bounceTextId!);
    assert.deepEqual([text?.rule, text?.status, text?.text], ['user_unknown.status_text', 'keep', '550 5.1.1 *... User Unknown']);
    const q = await quarantineOf('userunknown@bouncehammer.jp');
    assert.deepEqual([q?.status, q?.errorCount, q?.failureReason, q?.domain], ['quarantine', 1, 'user_unknown', 'bouncehammer.jp']);
    assert.equal((await h.db.models.Delivery.findByPk(seeded.deliveryId))?.newQuarantine, 1, "counted in the delivery's new quarantines");
    await h.send(seeded.verp, fixture('lhost-sendmail-01.eml'));
    await h.service.idle();
    assert.equal(
      (await h.db.models.Delivery.findByPk(seeded.deliveryId))?.newQuarantine,
      1,
      'a second bounce for an address already in quarantine is not a new one',
    );
  });

  it('moves the delivery counters in the transaction that records a bounce arriving after the send, so they always agree with the messages', async () => {
    const seeded = await h.seed('late@bouncehammer.jp');
    await h.db.models.Delivery.update({ toDeliver: 1, processed: 1, sent: 1, failed: 0 }, { where: { id: seeded.deliveryId } });
    await h.send(seeded.verp, fixture('lhost-sendmail-01.eml').replaceAll('userunknown@bouncehammer.jp', 'late@bouncehammer.jp'));
    await h.service.idle();
    const d = await h.db.models.Delivery.findByPk(seeded.deliveryId);
    assert.deepEqual([d?.processed, d?.sent, d?.failed], [1, 0, 1], 'sent 1 → failed 1 at once, not at the next indicators run');
    const recomputed = deliveryCounters((await broadLogStatusCounts(h.db, [seeded.deliveryId])).get(seeded.deliveryId) ?? {});
    assert.deepEqual(recomputed, { processed: d!.processed, sent: d!.sent, failed: d!.failed }, 'the indicators workflow would find nothing to change');
    await h.send(seeded.verp, fixture('lhost-sendmail-01.eml').replaceAll('userunknown@bouncehammer.jp', 'late@bouncehammer.jp'));
    await h.service.idle();
    const again = await h.db.models.Delivery.findByPk(seeded.deliveryId);
    assert.deepEqual([again?.processed, again?.sent, again?.failed], [1, 0, 1], 'a second bounce for the same message moves nothing');
  });

  it('counts a soft bounce without quarantining the address', async () => {
    const seeded = await h.seed('kijitora@example.jp');
    await h.send(seeded.verp, fixture('lhost-messagingserver-04.eml'));
    await h.service.idle();
    const q = await quarantineOf('kijitora@example.jp');
    assert.deepEqual([q?.status, q?.errorCount, q?.failureReason], ['with_errors', 1, 'mailbox_full']);
  });

  it('changes nothing for a bounce whose VERP signature is forged, and keeps it for review', async () => {
    const seeded = await h.seed('victim@example.org');
    const forged = seeded.verp.replace(/-([a-z2-7]{16})@/, (_, mac: string) => `-${mac.startsWith('a') ? 'b' : 'a'}${mac.slice(1)}@`);
    const raw = fixture('lhost-sendmail-01.eml').replaceAll('userunknown@bouncehammer.jp', 'victim@example.org');
    assert.match(await h.send(forged, raw), /^250 /);
    await h.service.idle();
    const log = await h.db.models.BroadLog.findByPk(seeded.broadLogId);
    assert.deepEqual([log?.status, log?.failureType], ['sent', null]);
    assert.equal(await quarantineOf('victim@example.org'), null);
    const kept = await h.db.models.InboundMessage.findOne({ where: { status: 'forged' } });
    assert.match(kept?.reason ?? '', /invalid signature/);
    assert.ok(readdirSync(join(h.instance.paths.dataDir, 'spool', 'inmail', 'kept')).includes(kept!.spoolFile!.slice('kept/'.length)));
  });

  it('ignores a forged VERP even when the returned original carries a valid Message-ID', async () => {
    const seeded = await h.seed('other@example.org');
    const forged = seeded.verp.replace(/^bounce\+[a-z2-7]+-/, 'bounce+aaaa-');
    const raw = fixture('lhost-sendmail-01.eml').replace(/Message-Id: <[^>]+>/i, `Message-Id: ${seeded.messageId}`);
    await h.send(forged, raw);
    await h.service.idle();
    assert.equal((await h.db.models.BroadLog.findByPk(seeded.broadLogId))?.status, 'sent');
  });

  it('matches a bounce sent to the plain bounce address by the Message-ID of the returned original', async () => {
    const seeded = await h.seed('kijitora@example.ne.jp');
    const raw = fixture('lhost-qmail-01.eml').replace('Message-ID: <000000000.9999999999999.JavaMail.postmaster@mailhub>', `Message-ID: ${seeded.messageId}`);
    await h.send(`bounce@${h.instance.config.mail.bounceDomain}`, raw);
    await h.service.idle();
    const log = await h.db.models.BroadLog.findByPk(seeded.broadLogId);
    assert.deepEqual([log?.status, log?.failureReason], ['failed', 'user_unknown']);
  });

  it('denylists the address and unsubscribes the recipient on a spam complaint, and counts it as a complaint, not a failure', async () => {
    const seeded = await h.seed('kijitora@example.com');
    await h.db.models.Delivery.update({ toDeliver: 1, processed: 1, sent: 1, failed: 0 }, { where: { id: seeded.deliveryId } });
    const raw = fixture('arf-17.eml').replace('Message-Id: <EEEEEEEE-0000-0000-0000-EEEEEEEE2222@example.net>', `Message-Id: ${seeded.messageId}`);
    await h.send(`fbl@${h.instance.config.mail.bounceDomain}`, raw);
    await h.service.idle();
    assert.equal((await quarantineOf('kijitora@example.com'))?.status, 'denylisted');
    const sub = await h.db.models.Subscription.findOne({ where: { recipientId: seeded.recipientId } });
    assert.equal(sub?.status, 'unsubscribed');
    const log = await h.db.models.BroadLog.findByPk(seeded.broadLogId);
    assert.deepEqual([log?.status, log?.failureType], ['sent', null], 'the message stays delivered');
    assert.ok(log?.complainedAt instanceof Date, 'the message records the complaint');
    const counters = async () => {
      const d = await h.db.models.Delivery.findByPk(seeded.deliveryId);
      return [d?.processed, d?.sent, d?.failed, d?.complaints];
    };
    assert.deepEqual(await counters(), [1, 1, 0, 1], 'its own counter: sent stays 1, failed stays 0, complaints 1');
    await h.send(`fbl@${h.instance.config.mail.bounceDomain}`, raw);
    await h.service.idle();
    assert.deepEqual(await counters(), [1, 1, 0, 1], 'the same complaint twice counts once');
  });

  it('unsubscribes on a mailto List-Unsubscribe request, from the service or from all email', async () => {
    const withService = await h.seed('one@example.net');
    const without = await h.seed('two@example.net', { serviceId: false });
    const { trackingKey } = h.instance.config.secrets;
    const { verpPrefix, bounceDomain } = h.instance.config.mail;
    const address = (recipientId: number, serviceId: number) =>
      `${verpPrefix}+unsubscribe-${encodeRecipientToken(trackingKey, { recipientId, purpose: 'unsubscribe', serviceId, expiresAt: 0 })}@${bounceDomain}`;
    await h.send(address(withService.recipientId, withService.serviceId!), fixture('arf-26.eml'));
    await h.send(address(without.recipientId, 0), 'Subject: unsubscribe\r\n\r\nplease\r\n');
    await h.service.idle();
    assert.equal((await h.db.models.Subscription.findOne({ where: { recipientId: withService.recipientId } }))?.status, 'unsubscribed');
    assert.equal((await h.db.models.Recipient.findByPk(without.recipientId))?.denylistedEmail, true);
  });

  it('records an auto-reply as ignored without failing the message', async () => {
    const seeded = await h.seed('nekonyaan@example.org');
    await h.send(seeded.verp, fixture('rfc3834-02.eml'));
    await h.service.idle();
    const log = await h.db.models.BroadLog.findByPk(seeded.broadLogId);
    assert.deepEqual([log?.status, log?.failureType, log?.failureReason], ['sent', 'ignored', 'error_ignored']);
    assert.equal(await quarantineOf('nekonyaan@example.org'), null);
  });

  it('never quarantines an address for a policy block (5.7.x)', async () => {
    const seeded = await h.seed('spamdetected@libsisimai.net');
    await h.send(seeded.verp, fixture('lhost-dragonfly-20.eml'));
    await h.service.idle();
    assert.equal((await h.db.models.BroadLog.findByPk(seeded.broadLogId))?.failureReason, 'refused');
    assert.equal(await quarantineOf('spamdetected@libsisimai.net'), null);
  });

  it('changes nothing for a delay warning', async () => {
    const seeded = await h.seed('kijitora@example.com.delayed');
    await h.send(seeded.verp, fixture('rfc3464-34.eml'));
    await h.service.idle();
    assert.equal((await h.db.models.BroadLog.findByPk(seeded.broadLogId))?.status, 'sent');
  });

  it('keeps a message it cannot match, with the reason', async () => {
    await h.send(`postmaster@${h.instance.config.mail.bounceDomain}`, fixture('is-not-bounce-01.eml'));
    await h.service.idle();
    const kept = await h.db.models.InboundMessage.findOne({ where: { kind: 'not_bounce' } });
    assert.deepEqual([kept?.status, kept?.reason], ['unmatched', 'no signed VERP address or Message-ID of ours']);
  });

  it('refuses mail for other domains and unknown local parts (not an open relay)', async () => {
    await assert.rejects(h.send('someone@example.com', 'Subject: x\r\n\r\nx\r\n'), /550/);
    await assert.rejects(h.send(`random@${h.instance.config.mail.bounceDomain}`, 'Subject: x\r\n\r\nx\r\n'), /550/);
  });
});
