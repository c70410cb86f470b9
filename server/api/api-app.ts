import { randomBytes } from 'node:crypto';
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { isUniqueViolation } from '../db/errors.js';
import { isHeraldError } from '../shared/errors.js';
import { crossSiteReason } from '../shared/cross-site.js';
import { inputProblem } from '../shared/input-guard.js';
import { hasScope } from './api-keys.js';
import { KeyVerifier } from './key-verifier.js';
import { openApiDocument } from './openapi.js';
import { TokenBuckets } from './rate-limit.js';
import { ApiError, invalid, type ApiDeps, type ApiRequest, type ApiRoute } from './route.js';
import { API_ROUTES } from './routes/index.js';
import { validate, type Problem, type Schema } from './schema.js';

/**
 * The REST API under /api: JSON only, API keys with scopes, per-key rate limits, one error shape
 * (`{"error":{"code","message","details?"}}`) for every refusal, body size limits, and the OpenAPI
 * 3.1 document at /api/openapi.json. Requests a browser sends from another site are refused (the
 * API authenticates with a header, never a cookie, but a cross-site request has no business here).
 * A NUL character anywhere in a request, or a body nested deeper than 32 levels, is a 400 before
 * any handler runs (web/security/input-guard.ts).
 */

export const API_PREFIX = '/api';

/** Errors raised outside the routes (body parser, router), by status: their code and message. */
const GENERIC: Record<number, [string, string]> = {
  400: ['BAD_REQUEST', 'the request body is not valid JSON'],
  404: ['NOT_FOUND', 'no such API route'],
  405: ['METHOD_NOT_ALLOWED', 'this route does not take that method (see the Allow header)'],
  409: ['CONFLICT', 'the change conflicts with existing data'],
  413: ['BODY_TOO_LARGE', 'the request body is too large'],
  415: ['UNSUPPORTED_MEDIA_TYPE', 'send JSON (Content-Type: application/json)'],
  501: ['NOT_IMPLEMENTED', 'this method is not supported'],
};

function errorShape(deps: ApiDeps): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.body === undefined && GENERIC[ctx.status]) throw Object.assign(new Error('no route'), { status: ctx.status });
    } catch (err) {
      const known = isHeraldError(err) ? err : undefined;
      // Client errors of the body parser and the router carry a 4xx status; their own text is never shown.
      const raw = (err as { status?: unknown }).status;
      const httpStatus = typeof raw === 'number' && ((raw >= 400 && raw < 500) || raw === 501) ? raw : undefined;
      const status = known ? (known.hints.status ?? 400) : (httpStatus ?? (isUniqueViolation(err) ? 409 : 500));
      const [genericCode, genericMessage] = GENERIC[status] ?? ['INTERNAL', 'an unexpected error occurred'];
      const error: Record<string, unknown> = { code: known?.code ?? genericCode, message: known?.message ?? genericMessage };
      if (err instanceof ApiError && err.details?.length) error.details = err.details;
      if (status === 500) {
        error.reference = randomBytes(4).toString('hex');
        deps.log.error('API_REQUEST_FAILED', { method: ctx.method, path: ctx.path, reference: error.reference, err });
      }
      ctx.status = status;
      ctx.body = { error };
      if (status === 401) ctx.set('WWW-Authenticate', 'Bearer realm="herald"');
    }
    ctx.set('Cache-Control', 'no-store');
  };
}

function crossSiteGuard(deps: ApiDeps): Middleware {
  const origin = new URL(deps.config.web.publicUrl).origin;
  return async (ctx, next) => {
    if (
      crossSiteReason({ origin: ctx.get('origin') || undefined, secFetchSite: ctx.get('sec-fetch-site') || undefined }, [
        origin,
        `${ctx.protocol}://${ctx.host}`,
      ])
    ) {
      deps.log.warn('API_CROSS_SITE_REJECTED', { method: ctx.method, path: ctx.path });
      throw new ApiError(403, 'CROSS_SITE', 'requests from another site are refused');
    }
    const hasBody = ctx.request.length === undefined ? Boolean(ctx.get('transfer-encoding')) : ctx.request.length > 0;
    if (hasBody && !ctx.is('application/json')) throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send JSON (Content-Type: application/json)');
    await next();
  };
}

/** Converts and checks path or query values against their schemas (they arrive as text). */
function readValues(
  schemas: Record<string, Schema> | undefined,
  raw: Record<string, unknown>,
  where: string,
  problems: Problem[],
): Record<string, string | number | boolean | undefined> {
  const out: Record<string, string | number | boolean | undefined> = {};
  for (const [name, schema] of Object.entries(schemas ?? {})) {
    const text = Array.isArray(raw[name]) ? undefined : (raw[name] as string | undefined);
    if (text === undefined) continue;
    const value =
      schema.type === 'integer'
        ? /^-?\d{1,15}$/.test(text)
          ? Number(text)
          : text
        : schema.type === 'boolean'
          ? text === 'true'
            ? true
            : text === 'false'
              ? false
              : text
          : text;
    problems.push(...validate(schema, value, `${where}.${name}`));
    out[name] = value;
  }
  return out;
}

function handler(route: ApiRoute, deps: ApiDeps, verifier: KeyVerifier, buckets: TokenBuckets): Middleware {
  return async (ctx: Context) => {
    const key = route.scope ? await verifier.verify(ctx.get('authorization'), ctx.ip) : { id: 0, name: 'anonymous', scopes: [], operatorId: null };
    const missing = route.scope ? [route.scope, ...(route.alsoScopes ?? [])].find((scope) => !hasScope(key.scopes, scope)) : undefined;
    if (missing) {
      deps.log.warn('API_SCOPE_MISSING', { key: key.name, path: ctx.path, scope: missing });
      throw new ApiError(403, 'SCOPE_MISSING', `this API key lacks the scope ${missing}`);
    }
    const admitted = route.scope ? buckets.take(String(key.id), deps.clock().getTime()) : { ok: true as const };
    if (!admitted.ok) {
      deps.log.warn('API_RATE_LIMITED', { key: key.name });
      ctx.set('Retry-After', String(admitted.retryAfterSeconds));
      throw new ApiError(429, 'RATE_LIMITED', `too many requests; retry in ${admitted.retryAfterSeconds} s`);
    }
    const body = (ctx.request as { body?: unknown }).body;
    const hostile = inputProblem(ctx.params, 'path') ?? inputProblem(ctx.query, 'query') ?? inputProblem(body, 'body');
    if (hostile) {
      deps.log.warn('API_INPUT_REJECTED', { method: ctx.method, path: ctx.path, where: hostile.path.slice(0, 100) });
      throw invalid([{ path: hostile.path, message: hostile.message }]);
    }
    const problems: Problem[] = [];
    const params = readValues(route.params, ctx.params as Record<string, unknown>, 'path', problems) as Record<string, string | number>;
    const query = readValues(route.query, ctx.query, 'query', problems);
    if (route.body) problems.push(...validate(route.body, body === undefined ? {} : body));
    if (problems.length > 0) throw invalid(problems);
    const req: ApiRequest = { params, query, body: body ?? {}, key, ip: ctx.ip, header: (name) => ctx.get(name), now: deps.clock(), deps };
    const res = await route.handle(req);
    for (const [name, value] of Object.entries(res.headers ?? {})) ctx.set(name, value);
    ctx.status = res.status;
    ctx.body = res.body ?? '';
  };
}

export interface Api {
  /** The router (its routes are enumerated by the tests). */
  router: Router;
  /** Handles every request under /api. */
  middleware: Middleware;
}

export function createApi(deps: ApiDeps): Api {
  const verifier = new KeyVerifier({ db: deps.db, log: deps.log, clock: deps.clock, cacheMs: deps.config.api.keyCacheSeconds * 1000 });
  const buckets = new TokenBuckets(deps.config.api.ratePerSecond, deps.config.api.burst);
  const router = new Router({ prefix: API_PREFIX });
  const document = openApiDocument(API_ROUTES, deps.config.web.publicUrl);
  router.get('/openapi.json', (ctx) => void (ctx.body = document));
  for (const route of API_ROUTES) router.register(route.path.replace(/\{(\w+)\}/g, ':$1'), [route.method], handler(route, deps, verifier, buckets));
  const limit = `${deps.config.api.bodyMaxKb}kb`;
  const parse = bodyParser({ enableTypes: ['json'], jsonLimit: limit, encoding: 'utf-8' });
  const chain = [errorShape(deps), crossSiteGuard(deps), parse, router.routes(), router.allowedMethods()] as Middleware[];
  const middleware: Middleware = (ctx) => {
    const run = (i: number): Promise<void> => (i === chain.length ? Promise.resolve() : Promise.resolve(chain[i]!(ctx, () => run(i + 1))));
    return run(0);
  };
  return { router, middleware };
}
