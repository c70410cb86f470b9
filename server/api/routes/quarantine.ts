import { quarantinePage, releaseAddress } from '../../db/repos/quarantine-list.js';
import { QUARANTINE_STATUSES, type QuarantineStatus } from '../../shared/glossary.js';
import { iso, notFound, type ApiRoute } from '../route.js';
import { emailOf, errorSchema, page, text } from './common.js';

/** Quarantined and denylisted addresses: list, release. */

export const quarantineRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/quarantines',
    scope: 'quarantine:read',
    tag: 'quarantine',
    summary: 'Addresses with errors, in quarantine or denylisted (pass `next` as `after` for the following page)',
    query: { status: { type: 'string', enum: QUARANTINE_STATUSES }, ...page },
    responses: {
      200: {
        description: 'a page of addresses',
        schema: {
          type: 'object',
          properties: { addresses: { type: 'array', items: { type: 'object', additionalProperties: true } }, next: { type: 'integer', nullable: true } },
        },
      },
    },
    async handle(req) {
      const limit = (req.query.limit as number | undefined) ?? 100;
      const rows = await quarantinePage(req.deps.db, {
        status: req.query.status as QuarantineStatus | undefined,
        after: (req.query.after as number | undefined) ?? 0,
        limit,
      });
      const addresses = rows.map((q) => ({ ...q, lastErrorAt: iso(q.lastErrorAt), updatedAt: iso(q.updatedAt) }));
      return { status: 200, body: { addresses, next: rows.length === limit ? rows[rows.length - 1]!.id : null } };
    },
  },
  {
    method: 'DELETE',
    path: '/quarantines/{address}',
    scope: 'quarantine:write',
    tag: 'quarantine',
    summary: 'Release an address: back to valid, its error count reset',
    params: { address: text(320) },
    responses: {
      200: { description: 'released', schema: { type: 'object', properties: { address: { type: 'string' }, status: { type: 'string' } } } },
      404: { description: 'the address is not quarantined', schema: errorSchema },
    },
    async handle(req) {
      const address = emailOf(String(req.params.address), 'path.address');
      if (!(await releaseAddress(req.deps.db, address, req.now))) throw notFound('quarantined address');
      return { status: 200, body: { address, status: 'valid' } };
    },
  },
];
