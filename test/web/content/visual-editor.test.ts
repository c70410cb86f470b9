import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_ROOT } from '../../../server/shared/app-root.js';
import { EDITOR_CSP } from '../../../server/web/security/editor-csp.js';
import { addOperator, ConsoleClient, startConsole, type ConsoleHarness } from '../helpers/console.js';
import { deliveryForm } from '../helpers/delivery-form.js';

/**
 * The visual editor's pages over real HTTP: its own Content-Security-Policy on its routes only, its
 * libraries served from the installed packages (no CDN), and what it saves through the delivery
 * form (Eta tags the editor wrote as text become tags again). The editing itself runs in chromium
 * in test/web/browser/visual-editor.test.ts.
 */
describe('console visual editor: routes, policy, libraries and saving', function () {
  this.timeout(60_000);
  let h: ConsoleHarness;
  let admin: ConsoleClient;
  let viewer: ConsoleClient;

  before(async () => {
    h = await startConsole('');
    const op = await addOperator(h.db, 'root', ['admin']);
    admin = new ConsoleClient(h.base);
    await admin.login(op.login, op.password);
    const reader = await addOperator(h.db, 'reader', []);
    viewer = new ConsoleClient(h.base);
    await viewer.login(reader.login, reader.password);
  });
  after(async () => h.close());

  it('gives the editor page its own policy (inline styles, https pictures) and keeps scripts to Herald’s own', async () => {
    const page = await admin.get('/deliveries/new/visual?gallery=newsletter');
    assert.equal(page.status, 200);
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.equal(csp, EDITOR_CSP);
    assert.match(csp, /script-src 'self';/);
    assert.doesNotMatch(csp, /unsafe-eval|script-src[^;]*unsafe-inline/);
    assert.match(page.text, /<script src="\/static\/vendor\/grapes\.min\.js" defer><\/script>/);
    assert.match(page.text, /data-visual-editor/);
    assert.match(page.text, /&quot;name&quot;:&quot;footer&quot;/, 'the blocks are given to the editor');
  });

  const strict = ['/deliveries/new', '/deliveries/new?gallery=newsletter', '/content', '/'];
  for (const path of strict)
    it(`keeps the console's strict policy on ${path}`, async () => {
      const page = await admin.get(path);
      assert.equal(page.status, 200);
      assert.doesNotMatch(page.headers.get('content-security-policy') ?? '', /unsafe-inline/);
      assert.doesNotMatch(page.text, /vendor\/grapes/);
    });

  const vendor: Array<[string, string, string]> = [
    ['grapes.min.js', 'text/javascript', 'node_modules/grapesjs/dist/grapes.min.js'],
    ['grapes.min.css', 'text/css', 'node_modules/grapesjs/dist/css/grapes.min.css'],
    ['grapesjs-mjml.js', 'text/javascript', 'node_modules/grapesjs-mjml/dist/index.js'],
  ];
  for (const [name, type, file] of vendor)
    it(`serves ${name} from the installed package`, async () => {
      const reply = await admin.get(`/static/vendor/${name}`);
      assert.equal(reply.status, 200);
      assert.match(reply.headers.get('content-type') ?? '', new RegExp(`^${type}`));
      assert.equal(reply.text, readFileSync(join(APP_ROOT, file), 'utf8'));
    });

  it('serves nothing else from node_modules', async () => {
    for (const path of ['/static/vendor/package.json', '/static/vendor/..%2Fpackage.json', '/static/vendor/grapes.mjs'])
      assert.equal((await admin.get(path)).status, 404, path);
  });

  it('needs the right to prepare deliveries', async () => {
    assert.equal((await viewer.get('/deliveries/new/visual')).status, 403);
  });

  it('saves what the editor wrote: the text-escaped tags become tags, and only when the editor sent it', async () => {
    const html = '<mjml><mj-body><mj-section><mj-column><mj-text>Hi &lt;%= recipient.firstName %&gt;</mj-text></mj-column></mj-section></mj-body></mjml>';
    const visual = await admin.post('/deliveries', deliveryForm({ internalName: 'from-editor', format: 'mjml', html, text: '', editor: 'visual' }));
    assert.equal(visual.status, 303, visual.text);
    const saved = (await h.db.models.Delivery.findOne({ where: { internalName: 'from-editor' } }))!;
    assert.match(saved.html ?? '', /<mj-text>Hi <%= recipient\.firstName %><\/mj-text>/);
    const code = await admin.post('/deliveries', deliveryForm({ internalName: 'from-code', format: 'mjml', html, text: '' }));
    assert.equal(code.status, 303, code.text);
    const kept = (await h.db.models.Delivery.findOne({ where: { internalName: 'from-code' } }))!;
    assert.equal(kept.html, html);
  });
});
