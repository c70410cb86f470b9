import { issueText } from '../../delivery/issue-texts/index.js';
import Router from '@koa/router';
import { allBlocks, blockUsers, findBlock, findBlockById, saveBlock, type BlockValues } from '../../db/repos/content-blocks.js';
import { findSiteTemplate, saveSiteTemplate, siteTemplates, type TemplateValues } from '../../db/repos/content-templates.js';
import { BLOCK_NAME, blockReference, type ContentBlock } from '../../delivery/source/blocks.js';
import { gallery } from '../../delivery/source/gallery.js';
import { renderMarkup } from '../../delivery/source/render-source.js';
import { auditOf, type ConsoleDeps } from '../console/deps.js';
import { bodyOf, id, raw, text, type FieldErrors } from '../console/forms.js';
import { need, requireOperator } from '../middleware/access.js';
import type { ConsoleContext, ConsoleState } from '../state.js';

/** The content pages whose forms accept content as large as a delivery's (web.deliveryFormMaxKb). */
export const CONTENT_FORM_PATHS = /^\/content\/(?:blocks(?:\/\d+)?|templates)$/;

/**
 * Content authoring pages: the template gallery (Herald's templates and the site's, each a start
 * for a new delivery), the form that adds a template to the gallery, and the reusable content
 * blocks (listed, edited, with the deliveries and landing pages that include them). Viewing needs a
 * login; changing needs `prepare_deliveries` (content is code).
 */
export function contentRoutes(deps: ConsoleDeps): Router<ConsoleState> {
  const { db, log, render, t } = deps;
  const router = new Router<ConsoleState>();
  const contentMax = deps.config.web.deliveryFormMaxKb * 1024;
  router.use(requireOperator());

  router.get('/content', async (ctx) => {
    render(ctx, '/admin/content/gallery', { title: t('content.gallery'), templates: gallery(await siteTemplates(db)) });
  });

  /** Whether a source compiles with the current blocks: the errors, as the analysis would give them. */
  const compileProblems = async (source: string, format: 'html' | 'mjml', extra?: ContentBlock) => {
    const blocks = new Map((await allBlocks(db)).map((b) => [b.name, b as ContentBlock]));
    if (extra) blocks.set(extra.name, extra);
    const page = extra && format === 'mjml' ? `<mjml><mj-body>${blockReference(extra.name)}</mj-body></mjml>` : source;
    const { issues } = await renderMarkup(page, format, blocks);
    return issues.filter((i) => i.level === 'error').map((i) => issueText(i, t));
  };

  // --- gallery templates added by the site
  const templateForm = (ctx: ConsoleContext, form: TemplateValues, errors: FieldErrors = {}, problems: string[] = []) =>
    render(ctx, '/admin/content/template-form', { title: t('content.template_new'), form, errors, problems });

  router.get('/content/templates/new', need('prepare_deliveries', log), (ctx) =>
    templateForm(ctx, { name: '', label: '', description: null, format: 'mjml', subject: null, source: '', text: null }),
  );
  router.post('/content/templates', need('prepare_deliveries', log), async (ctx) => {
    const body = bodyOf(ctx.request);
    const form: TemplateValues = {
      name: text(body, 'name', 64).toLowerCase(),
      label: text(body, 'label'),
      description: text(body, 'description', 500) || null,
      format: text(body, 'format', 8) === 'html' ? 'html' : 'mjml',
      subject:
        raw(body, 'subject', 998)
          .replace(/[\r\n]+/g, ' ')
          .trim() || null,
      source: raw(body, 'source', contentMax),
      text: raw(body, 'text', contentMax).trim() ? raw(body, 'text', contentMax) : null,
    };
    const errors: FieldErrors = {};
    if (!BLOCK_NAME.test(form.name)) errors.name = 'content.error.name';
    if (!form.label) errors.label = 'form.error.required';
    if (!form.source.trim()) errors.source = 'form.error.required';
    const problems = errors.source ? [] : await compileProblems(form.source, form.format);
    if (Object.keys(errors).length || problems.length) {
      ctx.status = 400;
      return templateForm(ctx, form, errors, problems);
    }
    const existed = Boolean(await findSiteTemplate(db, form.name));
    await saveSiteTemplate(db, form, auditOf(ctx, deps, 'content_template_saved', undefined, { name: form.name }));
    log.info('CONTENT_TEMPLATE_SAVED', { name: form.name, created: !existed });
    ctx.status = 303;
    ctx.redirect('/content?notice=saved');
  });

  // --- content blocks
  router.get('/content/blocks', async (ctx) => {
    render(ctx, '/admin/content/blocks', { title: t('content.blocks'), blocks: await allBlocks(db) });
  });

  const blockForm = async (ctx: ConsoleContext, form: BlockValues, blockId: number | undefined, errors: FieldErrors = {}, problems: string[] = []) =>
    render(ctx, '/admin/content/block-form', {
      title: t(blockId ? 'content.block_edit' : 'content.block_new'),
      form,
      blockId,
      errors,
      problems,
      users: blockId ? await blockUsers(db, form.name, 50) : undefined,
    });

  router.get('/content/blocks/new', need('prepare_deliveries', log), (ctx) => blockForm(ctx, { name: '', label: '', format: 'mjml', source: '' }, undefined));
  router.get('/content/blocks/:id', async (ctx) => {
    const block = await findBlockById(db, id(ctx.params.id) ?? 0);
    if (block) await blockForm(ctx, block, block.id);
  });

  const save = async (ctx: ConsoleContext, blockId: number | undefined) => {
    const body = bodyOf(ctx.request);
    const existing = blockId === undefined ? undefined : await findBlockById(db, blockId);
    if (blockId !== undefined && !existing) return;
    const form: BlockValues = {
      name: existing?.name ?? text(body, 'name', 64).toLowerCase(),
      label: text(body, 'label'),
      format: text(body, 'format', 8) === 'html' ? 'html' : 'mjml',
      source: raw(body, 'source', contentMax),
    };
    const errors: FieldErrors = {};
    if (!BLOCK_NAME.test(form.name)) errors.name = 'content.error.name';
    else if (!existing && (await findBlock(db, form.name))) errors.name = 'content.error.name_taken';
    if (!form.label) errors.label = 'form.error.required';
    if (!form.source.trim()) errors.source = 'form.error.required';
    const problems = errors.source ? [] : await compileProblems(form.source, form.format, { ...form });
    if (Object.keys(errors).length || problems.length) {
      ctx.status = 400;
      return blockForm(ctx, form, blockId, errors, problems);
    }
    const saved = await saveBlock(db, form, auditOf(ctx, deps, 'content_block_saved', undefined, { name: form.name }));
    log.info('CONTENT_BLOCK_SAVED', { name: form.name, created: !existing });
    ctx.status = 303;
    ctx.redirect(`/content/blocks/${saved.id}?notice=saved`);
  };
  router.post('/content/blocks', need('prepare_deliveries', log), (ctx) => save(ctx, undefined));
  router.post('/content/blocks/:id', need('prepare_deliveries', log), (ctx) => save(ctx, id(ctx.params.id) ?? 0));
  return router;
}
