import assert from 'node:assert/strict';
import { checkContent, contentPlan } from '../../../server/delivery/message-content.js';
import { defaultBlocks } from '../../../server/delivery/source/default-blocks.js';
import { builtinTemplates, gallery } from '../../../server/delivery/source/gallery.js';
import { renderSource } from '../../../server/delivery/source/render-source.js';

const blocks = defaultBlocks();

describe('the template gallery', () => {
  it('ships the eight templates marketers start from', () => {
    assert.deepEqual(
      builtinTemplates()
        .map((t) => t.name)
        .sort(),
      ['announcement', 'double-opt-in', 'event-invitation', 'newsletter', 'plain-text-first', 're-engagement', 'receipt', 'welcome'],
    );
  });

  for (const t of builtinTemplates())
    it(`"${t.label}" compiles with the default blocks and passes the control rules (the example address aside)`, async () => {
      assert.ok(t.subject && t.description, 'a subject and a description');
      const rendered = await renderSource(
        {
          subject: t.subject,
          fromName: null,
          fromAddress: 'news@example.com',
          replyTo: null,
          format: t.format,
          html: t.source,
          text: null,
          headers: {},
          trackingEnabled: true,
          openTracking: true,
        },
        blocks,
      );
      assert.deepEqual(
        rendered.issues.map((i) => i.rule),
        ['text.generated'],
      );
      assert.match(rendered.content.html ?? '', /@media only screen and \(min-width:480px\)/, 'responsive columns');
      const plan = contentPlan(rendered.content, 'tracked');
      const marketing = t.kind === 'marketing';
      const issues = checkContent(rendered.content, plan, {
        kind: t.kind,
        marketing,
        dkim: [{ domain: 'example.com', algorithm: 'rsa-sha256' }],
        proofRecipients: 0,
        maxProofRecipients: 10,
        validityEnd: null,
        scheduledAt: null,
        missingCustomFields: [],
        now: new Date('2026-06-01T00:00:00Z'),
      });
      const expected = marketing ? ['footer.address'] : [];
      assert.deepEqual(
        issues.filter((i) => i.level !== 'info').map((i) => i.rule),
        expected,
      );
    });

  it('lets a site template replace Herald’s of the same name, and adds the others after them', () => {
    const site = [
      { name: 'newsletter', label: 'Our newsletter', description: null, format: 'html' as const, subject: null, source: '<p>x</p>', text: null },
      { name: 'sale', label: 'Sale', description: 'd', format: 'mjml' as const, subject: 's', source: '<mjml></mjml>', text: null },
    ];
    const all = gallery(site);
    assert.equal(all.filter((t) => t.name === 'newsletter').length, 1);
    assert.equal(all.find((t) => t.name === 'newsletter')!.label, 'Our newsletter');
    assert.deepEqual(
      all.slice(-2).map((t) => [t.name, t.builtin]),
      [
        ['newsletter', false],
        ['sale', false],
      ],
    );
  });
});
