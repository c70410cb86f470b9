import assert from 'node:assert/strict';
import { qualifyBounceText } from '../../server/db/repos/bounce-texts.js';
import { startInmailHarness, type InmailHarness } from './inmail-instance.js';

/** An operator's qualification of a bounce text "to qualify" becomes a rule that inMail applies to later bounces. */

function bounce(to: string, address: string, ref: number): string {
  return [
    'From: MAILER-DAEMON@mx.example.org',
    `To: ${to}`,
    'Subject: Undelivered Mail Returned to Sender',
    'Content-Type: text/plain',
    '',
    'This is the mail system at host mx.example.org.',
    '',
    `<${address}>: host mx.example.net[192.0.2.1] said: 554 The quokka declined your envelope (ref ${ref})`,
    '',
  ].join('\r\n');
}

describe('qualifying a bounce text in inMail', function () {
  this.timeout(60_000);
  let h: InmailHarness;
  before(async () => (h = await startInmailHarness()));
  after(async () => h.stop());

  it('keeps an unknown text "to qualify", then applies the operator\'s qualification to the next bounce', async () => {
    const first = await h.seed('ann@example.net');
    await h.send(first.verp, bounce(first.verp, 'ann@example.net', 1));
    await h.service.idle();
    const before = (await h.db.models.BroadLog.findByPk(first.broadLogId))!;
    assert.deepEqual([before.failureType, before.failureReason], ['soft', 'not_defined']);
    const text = (await h.db.models.BounceText.findByPk(before.bounceTextId!))!;
    assert.equal(text.status, 'to_qualify');

    const audit = { at: new Date(), operatorId: null, operatorLogin: 'admin', action: 'bounce_text_qualified' as const };
    assert.equal(await qualifyBounceText(h.db, text.id, { status: 'keep', failureType: 'hard', failureReason: 'user_unknown' }, audit), true);
    const rule = (await h.db.models.BounceRule.findOne())!;
    assert.equal(rule.sample, text.firstText, 'the sample is kept');
    assert.equal((await h.db.models.BounceText.findByPk(text.id))!.rule, `qualified.${rule.id}`);
    await h.service.refreshOperatorRules();

    const second = await h.seed('bob@example.net');
    await h.send(second.verp, bounce(second.verp, 'bob@example.net', 2));
    await h.service.idle();
    const after = (await h.db.models.BroadLog.findByPk(second.broadLogId))!;
    assert.deepEqual([after.status, after.failureType, after.failureReason], ['failed', 'hard', 'user_unknown']);
    const counted = (await h.db.models.BounceText.findByPk(after.bounceTextId!))!;
    assert.deepEqual([counted.id, counted.occurrences, counted.status], [text.id, 2, 'keep']);
  });
});
