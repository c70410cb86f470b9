import type { Database } from '../../db/connect.js';
import { findRecipient, recipientLists, recipientSubscriptions } from '../../db/repos/recipient-details.js';
import { eraseRecipient, recipientIdByEmail, writeRecipient, type RecipientFields } from '../../db/repos/recipient-writes.js';
import { ApiError, auditOf, invalid, iso, notFound, type ApiRequest, type ApiResponse, type ApiRoute } from '../route.js';
import type { Schema } from '../schema.js';
import { LANGUAGES } from '../../shared/glossary.js';
import { isCountryCode } from '../../shared/time-zones/country-zones.js';
import { canonicalTimeZone } from '../../shared/time-zones/zone-maths.js';
import { emailOf, errorSchema, flag, idParam, text } from './common.js';

/** Recipients: create, read, update, upsert by address, and the GDPR erase. */

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

const properties: Record<string, Schema> = {
  email: text(320),
  firstName: text(255, true),
  lastName: text(255, true),
  emailFormat: { type: 'string', enum: ['html', 'text'] },
  denylisted: { ...flag, description: 'opted out of every channel' },
  denylistedEmail: { ...flag, description: 'opted out of email' },
  timeZone: { ...text(64, true), description: 'IANA time zone (Europe/Paris); deliveries sent at a local time use it' },
  country: { ...text(2, true), description: 'ISO 3166-1 alpha-2 country code; gives the time zone when none is set and the country has one' },
  language: { type: 'string', enum: [...LANGUAGES], nullable: true, description: 'ISO 639-1 language of public pages and system mails (en, es, fr, de)' },
  fields: {
    type: 'object',
    additionalProperties: { type: 'string', maxLength: 1024, nullable: true },
    maxProperties: 100,
    description: 'custom fields, merged; null removes one',
  },
};
const createBody: Schema = { type: 'object', properties, required: ['email'] };
const patchBody: Schema = { type: 'object', properties };
const upsertBody: Schema = {
  type: 'object',
  properties: { ...properties, email: { ...text(320), description: 'ignored: the address is the one in the path' } },
};

const recipientSchema: Schema = {
  type: 'object',
  properties: {
    ...properties,
    id: { type: 'integer' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
    subscriptions: {
      type: 'array',
      items: {
        type: 'object',
        properties: { serviceId: { type: 'integer' }, service: { type: 'string' }, status: { type: 'string' }, since: { type: 'string' } },
      },
    },
    lists: { type: 'array', items: { type: 'object', properties: { listId: { type: 'integer' }, list: { type: 'string' } } } },
  },
};

/** The body as recipient columns: address checked and in lower case, custom field names checked. */
function fieldsOf(body: Record<string, unknown>, email?: string): RecipientFields {
  const out = { ...body, ...(email !== undefined ? { email } : {}) } as RecipientFields;
  if (typeof body.email === 'string' && email === undefined) out.email = emailOf(body.email);
  if (typeof body.timeZone === 'string') {
    const zone = canonicalTimeZone(body.timeZone);
    if (!zone) throw invalid([{ path: 'timeZone', message: 'not an IANA time zone name (such as Europe/Paris)' }]);
    out.timeZone = zone;
  }
  if (typeof body.country === 'string') {
    if (!isCountryCode(body.country)) throw invalid([{ path: 'country', message: 'a two-letter ISO 3166-1 country code' }]);
    out.country = body.country.toUpperCase();
  }
  if (body.fields) {
    const bad = Object.keys(body.fields).filter((k) => !FIELD_NAME.test(k));
    if (bad.length)
      throw invalid(bad.map((k) => ({ path: `fields.${k}`, message: 'a field name is letters, digits and _, starting with a letter (at most 64)' })));
    out.fields = Object.fromEntries(Object.entries(body.fields as Record<string, string | null>).map(([k, v]) => [k.toLowerCase(), v]));
  }
  return out;
}

async function view(db: Database, id: number): Promise<Record<string, unknown> | undefined> {
  const r = await findRecipient(db, id);
  if (!r || r.erasedAt) return undefined;
  const subscriptions = await recipientSubscriptions(db, id);
  const lists = await recipientLists(db, id);
  return {
    id: r.id,
    email: r.email,
    firstName: r.firstName,
    lastName: r.lastName,
    emailFormat: r.emailFormat,
    denylisted: r.denylisted,
    denylistedEmail: r.denylistedEmail,
    timeZone: r.timeZone ?? null,
    country: r.country ?? null,
    language: r.language ?? null,
    fields: r.fields ?? {},
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
    subscriptions: subscriptions.map((s) => ({ serviceId: s.serviceId, service: s.service, status: s.status, since: iso(s.updatedAt) })),
    lists: lists.map((l) => ({ listId: l.listId, list: l.list })),
  };
}

async function found(db: Database, id: number, status = 200): Promise<ApiResponse> {
  const body = await view(db, id);
  if (!body) throw notFound('recipient');
  return { status, body };
}

function refusal(reason: 'exists' | 'missing' | 'email_taken'): ApiError {
  if (reason === 'missing') return notFound('recipient');
  return new ApiError(
    409,
    reason === 'exists' ? 'RECIPIENT_EXISTS' : 'EMAIL_TAKEN',
    reason === 'exists' ? 'a recipient with this address exists; use PUT /api/recipients/by-email/{email} to upsert' : 'another recipient has this address',
  );
}

const ok = { description: 'the recipient', schema: recipientSchema };
const errors = { 400: { description: 'invalid request', schema: errorSchema }, 404: { description: 'no such recipient', schema: errorSchema } };

export const recipientRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/recipients',
    scope: 'recipients:write',
    tag: 'recipients',
    summary: 'Create a recipient (409 if the address exists)',
    body: createBody,
    responses: { 201: ok, 400: errors[400], 409: { description: 'the address exists', schema: errorSchema } },
    async handle(req) {
      const out = await writeRecipient(req.deps.db, 'create', fieldsOf(req.body as Record<string, unknown>), auditOf(req, 'recipient_created'));
      if (!out.ok) throw refusal(out.reason);
      return found(req.deps.db, out.id, 201);
    },
  },
  {
    method: 'GET',
    path: '/recipients/{id}',
    scope: 'recipients:read',
    tag: 'recipients',
    summary: 'Read a recipient with its subscriptions and lists',
    params: idParam,
    responses: { 200: ok, 404: errors[404] },
    handle: (req) => found(req.deps.db, req.params.id as number),
  },
  {
    method: 'PATCH',
    path: '/recipients/{id}',
    scope: 'recipients:write',
    tag: 'recipients',
    summary: 'Change some fields of a recipient',
    params: idParam,
    body: patchBody,
    responses: { 200: ok, ...errors, 409: { description: 'another recipient has the address', schema: errorSchema } },
    async handle(req) {
      const out = await writeRecipient(
        req.deps.db,
        'update',
        fieldsOf(req.body as Record<string, unknown>),
        auditOf(req, 'recipient_updated'),
        req.params.id as number,
      );
      if (!out.ok) throw refusal(out.reason);
      return found(req.deps.db, out.id);
    },
  },
  {
    method: 'GET',
    path: '/recipients/by-email/{email}',
    scope: 'recipients:read',
    tag: 'recipients',
    summary: 'Read a recipient by address',
    params: { email: text(320) },
    responses: { 200: ok, 404: errors[404] },
    async handle(req) {
      const id = await recipientIdByEmail(req.deps.db, emailOf(String(req.params.email)));
      if (id === undefined) throw notFound('recipient');
      return found(req.deps.db, id);
    },
  },
  {
    method: 'PUT',
    path: '/recipients/by-email/{email}',
    scope: 'recipients:write',
    tag: 'recipients',
    summary: 'Create or update the recipient with this address (201 when created)',
    params: { email: text(320) },
    body: upsertBody,
    responses: { 200: ok, 201: ok, 400: errors[400] },
    async handle(req: ApiRequest) {
      const email = emailOf(String(req.params.email), 'path.email');
      const out = await writeRecipient(req.deps.db, 'upsert', fieldsOf(req.body as Record<string, unknown>, email), auditOf(req, 'recipient_updated'));
      if (!out.ok) throw refusal(out.reason);
      return found(req.deps.db, out.id, out.created ? 201 : 200);
    },
  },
  {
    method: 'DELETE',
    path: '/recipients/{id}',
    scope: 'recipients:write',
    tag: 'recipients',
    summary: 'Erase a recipient (GDPR): personal data wiped everywhere, an anonymous row kept for the counts',
    params: idParam,
    responses: {
      200: { description: 'erased', schema: { type: 'object', properties: { id: { type: 'integer' }, erased: { type: 'boolean' } } } },
      404: errors[404],
    },
    async handle(req) {
      const recipientId = req.params.id as number;
      if (!(await eraseRecipient(req.deps.db, recipientId, auditOf(req, 'recipient_erased')))) throw notFound('recipient');
      req.deps.log.info('API_RECIPIENT_ERASED', { recipientId, key: req.key.name });
      return { status: 200, body: { id: recipientId, erased: true } };
    },
  },
];
