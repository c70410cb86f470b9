import { VERSION } from '../shared/version.js';
import { SCOPES } from './api-keys.js';
import type { ApiRoute } from './route.js';
import { publish } from './schema.js';
import { errorSchema } from './routes/common.js';

/**
 * The OpenAPI 3.1 document of the REST API, built from the route table (the same schemas validate
 * the requests). Served at /api/openapi.json without a key.
 */

const COMMON_ERRORS = {
  401: 'no key, or an unknown, expired or revoked one',
  403: 'the key lacks the scope (x-scope, and x-also-scopes when listed), or the request came from a browser on another site',
  429: 'over the key rate; see Retry-After',
};

function operation(route: ApiRoute): Record<string, unknown> {
  const parameters = [
    ...Object.entries(route.params ?? {}).map(([name, schema]) => ({ name, in: 'path', required: true, schema: publish(schema) })),
    ...Object.entries(route.query ?? {}).map(([name, schema]) => ({ name, in: 'query', required: false, schema: publish(schema) })),
  ];
  const responses: Record<string, unknown> = {};
  for (const [status, r] of Object.entries(route.responses))
    responses[status] = { description: r.description, ...(r.schema ? { content: { 'application/json': { schema: publish(r.schema) } } } : {}) };
  if (route.scope)
    for (const [status, description] of Object.entries(COMMON_ERRORS))
      responses[status] ??= { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  return {
    tags: [route.tag],
    summary: route.summary,
    operationId: `${route.method.toLowerCase()}${route.path.replace(/\{(\w+)\}/g, 'By_$1').replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    ...(parameters.length ? { parameters } : {}),
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: publish(route.body) } } } } : {}),
    responses,
    ...(route.scope ? { security: [{ apiKey: [route.scope, ...(route.alsoScopes ?? [])] }], 'x-scope': route.scope } : { security: [] }),
    ...(route.alsoScopes?.length ? { 'x-also-scopes': route.alsoScopes } : {}),
  };
}

export function openApiDocument(routes: readonly ApiRoute[], publicUrl: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Herald REST API',
      version: VERSION,
      description: `Recipients, subscriptions, lists, deliveries, quarantine and transactional events. Authenticate with "Authorization: Bearer hk_…" (create keys with "herald apikey add"). Scopes: ${SCOPES.join(', ')}; a :write scope includes :read. Every error is {"error":{"code","message","details?"}}.`,
    },
    servers: [{ url: `${publicUrl.replace(/\/+$/, '')}/api` }],
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'an API key, hk_<prefix>_<secret>' } },
      schemas: { Error: publish(errorSchema) },
    },
    paths,
  };
}
