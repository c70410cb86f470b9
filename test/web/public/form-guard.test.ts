import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHIPPED_VIEWS, viewFile } from '../../../server/shared/site-views.js';
import { checkForm, formToken, isBlockedAddress, newFormCookie } from '../../../server/web/public/form-guard.js';
import { createFormViews } from '../../../server/web/public/form-views.js';
import { translator } from '../../../server/web/i18n/translate.js';

const KEY = 'k'.repeat(43);
const limits = { minFillSeconds: 3, maxAgeSeconds: 7200 };

describe('public form guard and site templates', () => {
  it('accepts a form sent with its cookie after the minimum fill time, and says why otherwise', () => {
    const cookie = newFormCookie();
    const token = formToken(KEY, cookie, 1000);
    const cases: Array<[string | undefined, unknown, number, string]> = [
      [cookie, token, 1005, 'ok'],
      [cookie, token, 1001, 'too_fast'],
      [cookie, token, 1000 + 7201, 'expired'],
      [newFormCookie(), token, 1005, 'forged'],
      [cookie, token.replace(/^1000/, '900'), 1005, 'forged'],
      [undefined, token, 1005, 'missing'],
      [cookie, undefined, 1005, 'missing'],
      [cookie, 'garbage', 1005, 'forged'],
      [cookie, formToken(KEY, cookie, 2000), 1005, 'expired'],
    ];
    for (const [c, t, now, verdict] of cases) assert.equal(checkForm(KEY, c, t, now, limits), verdict, `${String(t)} at ${now}`);
  });

  it('blocks role addresses, whatever their case', () => {
    assert.ok(isBlockedAddress('PostMaster@example.com', ['postmaster']));
    assert.ok(!isBlockedAddress('post@example.com', ['postmaster']));
  });

  it('takes a site template instead of the shipped one, only for forms and mail', () => {
    const site = mkdtempSync(join(tmpdir(), 'herald-site-'));
    try {
      mkdirSync(join(site, 'forms'));
      mkdirSync(join(site, 'admin'));
      writeFileSync(join(site, 'forms', 'link-invalid.eta'), '<p>site says: <%= it.t("forms.invalid.title") %></p>');
      writeFileSync(join(site, 'admin', 'home.eta'), 'hijack');
      assert.equal(viewFile(site, 'forms/link-invalid.eta'), join(site, 'forms', 'link-invalid.eta'));
      assert.equal(viewFile(site, 'forms/subscribe.eta'), join(SHIPPED_VIEWS, 'forms', 'subscribe.eta'));
      assert.equal(viewFile(site, 'admin/home.eta'), join(SHIPPED_VIEWS, 'admin', 'home.eta'), 'console templates are never replaced');
      assert.ok(!viewFile(site, '../../etc/passwd').startsWith(site), 'a path outside views is never looked up in the site folder');
      const views = createFormViews(site);
      assert.equal(views.render('/forms/link-invalid', { t: translator('en') }), '<p>site says: This link is not valid</p>');
      assert.match(views.render('/forms/confirmed', { t: translator('en') }), /Subscription confirmed/);
    } finally {
      rmSync(site, { recursive: true, force: true });
    }
  });
});
