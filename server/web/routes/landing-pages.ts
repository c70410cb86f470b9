import { issueText } from '../../delivery/issue-texts/index.js';
import Router from '@koa/router';
import { allBlocks } from '../../db/repos/content-blocks.js';
import {
  findLandingPage,
  findLandingPageBySlug,
  landingPages,
  publishLandingPage,
  saveLandingPage,
  type LandingPageValues,
} from '../../db/repos/landing-pages.js';
import type { ContentBlock } from '../../delivery/source/blocks.js';
import { pickerEntries } from '../../delivery/source/field-picker.js';
import { compileLandingPage, SLUG } from '../../delivery/source/landing-page.js';
import { restoreEditedTags } from '../../delivery/source/editor-output.js';
import { editorConfig } from '../console/editor-config.js';
import { allowVisualEditor } from '../security/editor-csp.js';
import { auditOf, type ConsoleDeps } from '../console/deps.js';
import { bodyOf, id, raw, text, type FieldErrors } from '../console/forms.js';
import { need, requireOperator } from '../middleware/access.js';
import type { ConsoleContext, ConsoleState } from '../state.js';

/** The landing page forms accept content as large as a delivery's (web.deliveryFormMaxKb). */
export const LANDING_FORM_PATHS = /^\/content\/pages(?:\/\d+)?$/;

// Not the email header block: its "view in your browser" link is a message's, a page has none.
const STARTER = `<mjml lang="en">
  <mj-body background-color="#f4f5f7">
    <mj-section background-color="#1f3a5f" padding="20px 0">
      <mj-column>
        <mj-text align="center" font-size="24px" font-weight="700" color="#ffffff">Example Company</mj-text>
      </mj-column>
    </mj-section>
    <mj-section background-color="#ffffff">
      <mj-column>
        <mj-text font-size="24px" font-weight="700">Stay in touch</mj-text>
        <mj-text>Our news once a month, nothing else. Unsubscribe whenever you like.</mj-text>
        <mj-raw><herald-form name="subscribe"></herald-form></mj-raw>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>
`;

/**
 * Landing pages in the console: the list with each page's visits and conversions (subscriptions
 * sent from its embedded form), the form that writes a page (HTML or MJML with blocks, as emails),
 * and publication: the page is compiled once and served at /l/<slug> (server/web/public/landing.ts)
 * until it is published again or withdrawn. Viewing needs a login; changing needs `prepare_deliveries`.
 */
export function landingPageRoutes(deps: ConsoleDeps): Router<ConsoleState> {
  const { db, log, render, t } = deps;
  const router = new Router<ConsoleState>();
  const contentMax = deps.config.web.deliveryFormMaxKb * 1024;
  const publicUrl = deps.config.web.publicUrl.replace(/\/+$/, '');
  router.use(requireOperator());

  router.get('/content/pages', async (ctx) => {
    render(ctx, '/admin/content/pages', { title: t('landing.title'), pages: await landingPages(db), publicUrl });
  });

  const pageForm = async (ctx: ConsoleContext, form: LandingPageValues, pageId?: number, errors: FieldErrors = {}, problems: string[] = [], visual = false) => {
    const page = pageId ? await findLandingPage(db, pageId) : undefined;
    const blocks = await allBlocks(db);
    // The visual editor (views/static/editor.js) on the page's source: no personalization fields
    // (every visitor sees the same page), the blocks and the other published pages as links.
    if (visual) allowVisualEditor(ctx);
    const editor = visual
      ? editorConfig(t, { blocks, landingPages: (await landingPages(db)).filter((p) => p.id !== pageId), publicUrl, message: false })
      : undefined;
    render(ctx, '/admin/content/page-form', {
      visual,
      editor,
      title: t(pageId ? 'landing.edit' : 'landing.new'),
      form,
      page,
      pageId,
      errors,
      problems,
      publicUrl,
      picker: pickerEntries(blocks).filter((e) => e.group === 'blocks'),
      stylesheets: ['content.css'],
    });
  };

  router.get('/content/pages/new', need('prepare_deliveries', log), (ctx) => pageForm(ctx, { slug: '', title: '', format: 'mjml', source: STARTER }));
  // The same form with the visual editor on the source (its own routes, for its own CSP).
  router.get('/content/pages/new/visual', need('prepare_deliveries', log), (ctx) =>
    pageForm(ctx, { slug: '', title: '', format: 'mjml', source: STARTER }, undefined, {}, [], true),
  );
  router.get('/content/pages/:id', async (ctx) => {
    const page = await findLandingPage(db, id(ctx.params.id) ?? 0);
    if (page) await pageForm(ctx, page, page.id);
  });
  router.get('/content/pages/:id/visual', need('prepare_deliveries', log), async (ctx) => {
    const page = await findLandingPage(db, id(ctx.params.id) ?? 0);
    if (page) await pageForm(ctx, page, page.id, {}, [], true);
  });

  const blocksMap = async () => new Map((await allBlocks(db)).map((b) => [b.name, b as ContentBlock]));

  const save = async (ctx: ConsoleContext, pageId: number | undefined) => {
    if (pageId !== undefined && !(await findLandingPage(db, pageId))) return;
    const body = bodyOf(ctx.request);
    // What the visual editor wrote keeps tags as text: they become tags again (refused below as personalization).
    const visual = body.editor === 'visual';
    const source = raw(body, 'source', contentMax);
    const form: LandingPageValues = {
      slug: text(body, 'slug', 64).toLowerCase(),
      title: text(body, 'title'),
      format: text(body, 'format', 8) === 'html' ? 'html' : 'mjml',
      source: visual ? restoreEditedTags(source) : source,
    };
    const errors: FieldErrors = {};
    const other = SLUG.test(form.slug) ? await findLandingPageBySlug(db, form.slug) : undefined;
    if (!SLUG.test(form.slug)) errors.slug = 'landing.error.slug';
    else if (other && other.id !== pageId) errors.slug = 'landing.error.slug_taken';
    if (!form.title) errors.title = 'form.error.required';
    if (!form.source.trim()) errors.source = 'form.error.required';
    const problems = errors.source
      ? []
      : (await compileLandingPage(form.source, form.format, await blocksMap())).issues.filter((i) => i.level === 'error').map((i) => issueText(i, t));
    if (Object.keys(errors).length || problems.length) {
      ctx.status = 400;
      return pageForm(ctx, form, pageId, errors, problems, visual);
    }
    const savedId = await saveLandingPage(db, pageId, form, auditOf(ctx, deps, 'landing_page_saved', undefined, { slug: form.slug }));
    log.info('LANDING_PAGE_SAVED', { pageId: savedId, slug: form.slug });
    ctx.status = 303;
    ctx.redirect(`/content/pages/${savedId}?notice=saved`);
  };
  router.post('/content/pages', need('prepare_deliveries', log), (ctx) => save(ctx, undefined));
  router.post('/content/pages/:id', need('prepare_deliveries', log), (ctx) => save(ctx, id(ctx.params.id) ?? 0));

  const publish = async (ctx: ConsoleContext, on: boolean) => {
    const page = await findLandingPage(db, id(ctx.params.id) ?? 0);
    if (!page) return;
    let html: string | null = null;
    if (on) {
      const compiled = await compileLandingPage(page.source, page.format, await blocksMap(), page.title);
      const problems = compiled.issues.filter((i) => i.level === 'error').map((i) => issueText(i, t));
      if (problems.length) {
        ctx.status = 400;
        return pageForm(ctx, page, page.id, {}, problems);
      }
      html = compiled.html;
    }
    await publishLandingPage(db, page.id, html, auditOf(ctx, deps, 'landing_page_published', undefined, { slug: page.slug, published: on }));
    log.info('LANDING_PAGE_PUBLISHED', { pageId: page.id, slug: page.slug, published: on });
    ctx.status = 303;
    ctx.redirect(`/content/pages/${page.id}?notice=saved`);
  };
  router.post('/content/pages/:id/publish', need('prepare_deliveries', log), (ctx) => publish(ctx, true));
  router.post('/content/pages/:id/withdraw', need('prepare_deliveries', log), (ctx) => publish(ctx, false));
  return router;
}
