import assert from 'node:assert/strict';
import { editorConfig, landingLink } from '../../../server/web/console/editor-config.js';
import { translator } from '../../../server/web/i18n/translate.js';

const t = translator('en');
const published = new Date('2026-03-01T00:00:00Z');
const site = {
  blocks: [{ name: 'footer', label: 'Footer' }],
  landingPages: [
    { slug: 'spring-sale', title: 'Spring <sale> & more', publishedAt: published },
    { slug: 'draft-page', title: 'Draft', publishedAt: null },
  ],
  publicUrl: 'https://news.example.com/',
};

describe('visual editor configuration: the text toolbar’s fields and links, and the HTML blocks', () => {
  const cases: Array<{ name: string; message: boolean; fields: string[]; links: string[] }> = [
    {
      name: 'a message gets the personalization fields, Herald’s own links and the published landing pages',
      message: true,
      fields: ['First name', 'Last name', 'Email address', 'Greeting with the first name when known', 'Delivery label'],
      links: ['Unsubscribe link', 'Preference centre link', 'Mirror page link (view in the browser)', 'Landing page: Spring <sale> & more'],
    },
    {
      name: 'a landing page (seen by anyone, no personalization) gets the published landing pages only',
      message: false,
      fields: [],
      links: ['Landing page: Spring <sale> & more'],
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      const config = editorConfig(t, { ...site, message: c.message });
      assert.deepEqual(
        config.fields.map((f) => f.label),
        c.fields,
      );
      assert.deepEqual(
        config.links.map((l) => l.label),
        c.links,
      );
    });

  it('inserts Herald’s links as the expressions the message builder signs', () => {
    const links = new Map(editorConfig(t, { ...site, message: true }).links.map((l) => [l.label, l.insert]));
    assert.equal(links.get('Unsubscribe link'), '<a href="<%= links.unsubscribe %>">Unsubscribe</a>');
    assert.equal(links.get('Preference centre link'), '<a href="<%= links.preferences %>">Manage your preferences</a>');
    assert.equal(links.get('Mirror page link (view in the browser)'), '<a href="<%= links.mirror %>">View this email in your browser</a>');
  });

  it('writes a landing page link as an absolute link to /l/<slug>, labelled, its title escaped', () => {
    assert.equal(
      landingLink(site.publicUrl, site.landingPages[0]!),
      '<a href="https://news.example.com/l/spring-sale" data-herald-label="landing spring-sale">Spring &lt;sale&gt; &amp; more</a>',
    );
  });

  it('gives HTML contents email-safe blocks with the catalogue’s words and no unescaped text', () => {
    const blocks = editorConfig(t, { ...site, message: true }).htmlBlocks;
    assert.deepEqual(
      blocks.map((b) => b.label),
      ['Section', '2 columns', 'Heading', 'Text', 'Image', 'Button', 'Divider', 'Spacer'],
    );
    for (const b of blocks) assert.doesNotMatch(b.content, /\{(text|heading|button|alt)\}/, b.id);
    assert.match(blocks.find((b) => b.id === 'html-image')!.content, /alt="Describe the picture"/);
  });
});
