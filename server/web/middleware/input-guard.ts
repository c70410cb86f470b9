import type { Middleware } from 'koa';
import { HeraldError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import type { Translate } from '../i18n/translate.js';
import { inputProblem } from '../../shared/input-guard.js';

/**
 * Refuses console requests whose query or form holds a NUL character or is nested too deep
 * (shared/input-guard.ts), with a 400 page naming the field, before any handler or query runs.
 */
export function rejectHostileInput(t: Translate, log: Logger): Middleware {
  return async (ctx, next) => {
    const problem = inputProblem(ctx.query, 'query') ?? inputProblem((ctx.request as { body?: unknown }).body, 'body');
    if (problem) {
      log.warn('WEB_INPUT_REJECTED', { method: ctx.method, path: ctx.path, where: problem.path.slice(0, 100) });
      const field = problem.path.replace(/^(query|body)\.?/, '').slice(0, 100) || problem.path;
      throw new HeraldError('INPUT_REJECTED', t(`error.input.${problem.reason}`, { field }), { status: 400 });
    }
    await next();
  };
}
