import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import Router from '@koa/router';
import { findImportJob, recentImportJobs } from '../../db/repos/import-jobs.js';
import { allLists, findList } from '../../db/repos/lists.js';
import { allServices, findService } from '../../db/repos/services.js';
import { OFFERED_ENCODINGS } from '../../recipients/csv-encoding.js';
import { HeraldError } from '../../shared/errors.js';
import type { ConsoleDeps } from '../console/deps.js';
import { id } from '../console/forms.js';
import { need, requireOperator } from '../middleware/access.js';
import { readUpload } from '../upload/multipart.js';
import type { ConsoleContext, ConsoleState } from '../state.js';

export const IMPORT_PATH = '/recipients/import';

/**
 * Recipient CSV import through the browser (right `import`): a multipart upload streamed to the
 * spool folder, imported in the background, a job page that shows progress (polled), and the
 * reject report as CSV.
 */
export function recipientImportRoutes(deps: ConsoleDeps): Router<ConsoleState> {
  const { log, render, t, imports } = deps;
  const maxBytes = deps.config.web.importMaxMb * 1024 * 1024;
  const router = new Router<ConsoleState>();
  router.use(requireOperator(), need('import', deps.log));

  const formPage = async (ctx: ConsoleContext, error?: string) =>
    render(ctx, '/admin/recipients/import', {
      title: t('import.title'),
      error,
      maxMb: deps.config.web.importMaxMb,
      encodings: OFFERED_ENCODINGS,
      jobs: await recentImportJobs(deps.db, 10),
      lists: await allLists(deps.db),
      services: await allServices(deps.db),
    });

  router.get(IMPORT_PATH, (ctx) => formPage(ctx));

  router.post(IMPORT_PATH, async (ctx) => {
    if (Number(ctx.get('content-length') || 0) > maxBytes)
      throw new HeraldError('UPLOAD_TOO_LARGE', t('import.error.too_large', { mb: deps.config.web.importMaxMb }), { status: 413 });
    if (imports.busy()) return void ((ctx.status = 409), await formPage(ctx, t('import.error.busy')));
    const path = imports.uploadPath(randomBytes(12).toString('hex'));
    const csrfOk = (fields: Readonly<Record<string, string>>) => {
      if (!ctx.state.checkCsrf?.(fields._csrf)) {
        log.warn('WEB_CSRF_REJECTED', { method: ctx.method, path: ctx.path, reason: 'missing or wrong token' });
        ctx.throw(403);
      }
    };
    const upload = await readUpload(ctx.req, ctx.get('content-type'), { fileField: 'file', filePath: path, maxBytes, beforeFile: csrfOk });
    csrfOk(upload.fields);
    if (!upload.file || upload.file.bytes === 0) {
      await rm(path, { force: true });
      ctx.status = 400;
      return formPage(ctx, t('import.error.no_file'));
    }
    const operator = ctx.state.operator!;
    const encoding = (OFFERED_ENCODINGS as readonly string[]).includes(upload.fields.encoding ?? '') ? upload.fields.encoding : undefined;
    const list = upload.fields.listId ? await findList(deps.db, id(upload.fields.listId) ?? 0) : undefined;
    const service = upload.fields.serviceId ? await findService(deps.db, id(upload.fields.serviceId) ?? 0) : undefined;
    if (list === null || service === null) {
      await rm(path, { force: true });
      ctx.status = 400;
      return formPage(ctx, t(list === null ? 'import.error.list' : 'import.error.service'));
    }
    const into = list || service ? { list: list && { id: list.id, name: list.name }, service: service && { id: service.id, name: service.name } } : undefined;
    const jobId = await imports.start(
      { path, fileName: upload.file.filename || 'upload.csv', bytes: upload.file.bytes, encoding, into },
      { operatorId: operator.id, operatorLogin: operator.login, ip: ctx.ip },
    );
    ctx.status = 303;
    ctx.redirect(`/recipients/imports/${jobId}`);
  });

  router.get('/recipients/imports/:id', async (ctx) => {
    const job = await findImportJob(deps.db, id(ctx.params.id) ?? 0);
    if (!job) return;
    const list = job.listId ? await findList(deps.db, job.listId) : null;
    const service = job.serviceId ? await findService(deps.db, job.serviceId) : null;
    render(ctx, '/admin/recipients/import-job', { title: t('import.job_title', { id: job.id }), job, list, service });
  });

  router.get('/recipients/imports/:id/status', async (ctx) => {
    const job = await findImportJob(deps.db, id(ctx.params.id) ?? 0);
    if (!job) return;
    ctx.set('Cache-Control', 'no-store');
    const { status, rows, inserted, updated, rejected, bytes, totalBytes, error } = job;
    ctx.body = { status, rows, inserted, updated, rejected, bytes, totalBytes, error };
  });

  router.get('/recipients/imports/:id/rejects.csv', async (ctx) => {
    const job = await findImportJob(deps.db, id(ctx.params.id) ?? 0);
    const file = job ? imports.rejectsPath(job.id) : undefined;
    if (!file || !(await stat(file).catch(() => undefined))) return;
    ctx.type = 'text/csv; charset=utf-8';
    ctx.attachment(`import-${job!.id}-rejects.csv`);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = createReadStream(file);
  });
  return router;
}
