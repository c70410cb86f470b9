import { isUniqueViolation } from '../../db/errors.js';
import { findRecipient } from '../../db/repos/recipient-details.js';
import { changeListMember, createList, findList, listMembersPage, listsWithCounts } from '../../db/repos/lists.js';
import { ApiError, auditOf, iso, notFound, type ApiRequest, type ApiRoute } from '../route.js';
import type { Schema } from '../schema.js';
import { dateTime, errorSchema, id, page, text } from './common.js';

/** Lists and their members. */

const listSchema: Schema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    label: { type: 'string' },
    description: { type: 'string', nullable: true },
    expiresAt: { type: 'string', nullable: true },
    members: { type: 'integer' },
  },
};
const memberParams = { id, recipientId: id };
const missing = { 404: { description: 'no such list or recipient', schema: errorSchema } };

async function listOf(req: ApiRequest) {
  const list = await findList(req.deps.db, req.params.id as number);
  if (!list) throw notFound('list');
  return list;
}

async function changeMember(req: ApiRequest, add: boolean) {
  const list = await listOf(req);
  const r = await findRecipient(req.deps.db, req.params.recipientId as number);
  if (!r || r.erasedAt) throw notFound('recipient');
  const changed = await changeListMember(
    req.deps.db,
    { listId: list.id, recipientId: r.id, add },
    auditOf(req, add ? 'list_member_added' : 'list_member_removed', { type: 'list', id: list.id }, { recipientId: r.id }),
  );
  return { status: 200, body: { listId: list.id, recipientId: r.id, member: add, changed } };
}

export const listRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/lists',
    scope: 'lists:read',
    tag: 'lists',
    summary: 'Lists with their member counts',
    responses: { 200: { description: 'the lists', schema: { type: 'object', properties: { lists: { type: 'array', items: listSchema } } } } },
    async handle(req) {
      const rows = await listsWithCounts(req.deps.db);
      return {
        status: 200,
        body: {
          lists: rows.map(({ list: l, members }) => ({
            id: l.id,
            name: l.name,
            label: l.label,
            description: l.description,
            expiresAt: iso(l.expiresAt),
            members,
          })),
        },
      };
    },
  },
  {
    method: 'POST',
    path: '/lists',
    scope: 'lists:write',
    tag: 'lists',
    summary: 'Create a list',
    body: {
      type: 'object',
      properties: {
        name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$' },
        label: text(255),
        description: text(4000, true),
        expiresAt: dateTime(),
      },
      required: ['name', 'label'],
    },
    responses: { 201: { description: 'the list', schema: listSchema }, 409: { description: 'the name is taken', schema: errorSchema } },
    async handle(req) {
      const b = req.body as { name: string; label: string; description?: string | null; expiresAt?: string | null };
      try {
        const list = await createList(
          req.deps.db,
          { name: b.name, label: b.label, description: b.description ?? null, expiresAt: b.expiresAt ? new Date(b.expiresAt) : null },
          auditOf(req, 'list_created', { type: 'list' }, { name: b.name }),
        );
        return {
          status: 201,
          body: { id: list.id, name: list.name, label: list.label, description: list.description, expiresAt: iso(list.expiresAt), members: 0 },
        };
      } catch (err) {
        if (isUniqueViolation(err)) throw new ApiError(409, 'LIST_EXISTS', `a list named "${b.name}" exists`);
        throw err;
      }
    },
  },
  {
    method: 'GET',
    path: '/lists/{id}/members',
    scope: 'lists:read',
    // Members come with their address and names: personal data, readable with recipients:read only.
    alsoScopes: ['recipients:read'],
    tag: 'lists',
    summary: 'A page of members in recipient id order (pass `next` as `after` for the following page); needs recipients:read too',
    params: { id },
    query: page,
    responses: {
      200: {
        description: 'the members',
        schema: {
          type: 'object',
          properties: { members: { type: 'array', items: { type: 'object', additionalProperties: true } }, next: { type: 'integer', nullable: true } },
        },
      },
      ...missing,
    },
    async handle(req) {
      const list = await listOf(req);
      const result = await listMembersPage(req.deps.db, list.id, (req.query.after as number | undefined) ?? 0, (req.query.limit as number | undefined) ?? 100);
      return {
        status: 200,
        body: {
          members: result.rows.map((m) => ({ recipientId: m.recipientId, email: m.email, firstName: m.firstName, lastName: m.lastName, since: iso(m.since) })),
          next: result.next ?? null,
        },
      };
    },
  },
  {
    method: 'PUT',
    path: '/lists/{id}/members/{recipientId}',
    scope: 'lists:write',
    tag: 'lists',
    summary: 'Add a recipient to a list',
    params: memberParams,
    responses: { 200: { description: 'a member (changed: false when it was already)', schema: { type: 'object', additionalProperties: true } }, ...missing },
    handle: (req) => changeMember(req, true),
  },
  {
    method: 'DELETE',
    path: '/lists/{id}/members/{recipientId}',
    scope: 'lists:write',
    tag: 'lists',
    summary: 'Remove a recipient from a list',
    params: memberParams,
    responses: { 200: { description: 'not a member any more', schema: { type: 'object', additionalProperties: true } }, ...missing },
    handle: (req) => changeMember(req, false),
  },
];
